// The receipt as a PDF. Imported only when a cashier asks for one, so jsPDF (and html2canvas)
// stay out of the cashier's first load (a type import costs nothing at run time).
import type { jsPDF } from 'jspdf';

export interface ReceiptPdf {
  readonly title: string;
  readonly offline: string;
  readonly rows: readonly (readonly [string, string])[];
  readonly fileName: string;
}

/** How the receipt's text reaches the PDF: jsPDF's vector text, or a picture of the screen. */
export type ReceiptPdfPath = 'text' | 'image';

const PAGE_WIDTH_MM = 80;
const MARGIN_MM = 4;

/** Intl puts thin and narrow no-break spaces in dates and amounts; jsPDF's fonts lack them. */
const pdfText = (text: string): string => text.replace(/[\u2000-\u200a\u202f\u205f]/g, ' ');

const receiptTexts = (receipt: ReceiptPdf): string[] => [
  receipt.title,
  receipt.offline,
  ...receipt.rows.flat(),
];

/** What jsPDF's built-in fonts draw (WinAnsiEncoding): Latin-1 and these, € included. */
const WIN_ANSI_BEYOND_LATIN1 = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

const drawableByJsPdf = (text: string): boolean =>
  [...pdfText(text)].every(
    (char) => char.charCodeAt(0) <= 0xff || WIN_ANSI_BEYOND_LATIN1.includes(char),
  );

/**
 * jsPDF's built-in fonts draw Latin-1 (WinAnsi) only, and a CJK font would add megabytes to
 * the app, so a receipt with any other character (zh-CN labels, a Chinese name) is drawn by
 * the browser instead.
 */
export function receiptPdfPath(receipt: ReceiptPdf): ReceiptPdfPath {
  return receiptTexts(receipt).every(drawableByJsPdf) ? 'text' : 'image';
}

/** The receipt's document in vector text; `saveReceiptPdf` hands it to the browser. */
export async function buildReceiptPdf(receipt: ReceiptPdf): Promise<jsPDF> {
  const { jsPDF: Pdf } = await import('jspdf');
  const doc = new Pdf({ unit: 'mm', format: [PAGE_WIDTH_MM, 130] });
  doc.setFontSize(14);
  doc.text(pdfText(receipt.title), 6, 12);
  doc.setFontSize(11);
  doc.text(pdfText(receipt.offline), 6, 19);
  doc.setFontSize(8);
  let y = 28;
  for (const [label, value] of receipt.rows) {
    const lines = doc.splitTextToSize(pdfText(value), 42) as string[];
    doc.text(pdfText(label), 6, y);
    doc.text(lines, 34, y);
    y += 4 * lines.length + 2;
  }
  return doc;
}

/**
 * The on-screen receipt drawn by html2canvas (the browser's own fonts, so any script) as one
 * image. Not jsPDF's html(): it replays the drawing through its Latin-1 fonts.
 */
export async function buildReceiptImagePdf(element: HTMLElement): Promise<jsPDF> {
  const [{ jsPDF: Pdf }, { default: html2canvas }] = await Promise.all([
    import('jspdf'),
    import('html2canvas'),
  ]);
  const canvas = await html2canvas(element, {
    scale: 2,
    logging: false,
    backgroundColor: '#ffffff',
    ignoreElements: (node) => node.classList.contains('no-print'),
    // Paper is white whatever the screen's theme.
    onclone: (clone) => {
      clone.documentElement.dataset['theme'] = 'light';
    },
  });
  const imageWidth = PAGE_WIDTH_MM - 2 * MARGIN_MM;
  const imageHeight = (imageWidth * canvas.height) / canvas.width;
  const pageHeight = imageHeight + 2 * MARGIN_MM;
  const doc = new Pdf({
    unit: 'mm',
    format: [PAGE_WIDTH_MM, pageHeight],
    // jsPDF would otherwise turn a page wider than tall to portrait.
    orientation: pageHeight < PAGE_WIDTH_MM ? 'landscape' : 'portrait',
  });
  // Deflated: the raw pixels of one receipt would be megabytes.
  doc.addImage(canvas, 'PNG', MARGIN_MM, MARGIN_MM, imageWidth, imageHeight, undefined, 'FAST');
  return doc;
}

/** Saves the receipt as text where jsPDF can draw it, else as the picture of `element`. */
export async function saveReceiptPdf(receipt: ReceiptPdf, element: HTMLElement): Promise<void> {
  const doc =
    receiptPdfPath(receipt) === 'text'
      ? await buildReceiptPdf(receipt)
      : await buildReceiptImagePdf(element);
  doc.save(receipt.fileName);
}
