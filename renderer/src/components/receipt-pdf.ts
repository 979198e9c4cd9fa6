// The receipt as a PDF. Imported only when a cashier asks for one, so jsPDF stays out of the
// cashier's first load (a type import costs nothing at run time).
import type { jsPDF } from 'jspdf';

export interface ReceiptPdf {
  readonly title: string;
  readonly offline: string;
  readonly rows: readonly (readonly [string, string])[];
  readonly fileName: string;
}

/** The receipt's document; `saveReceiptPdf` hands it to the browser as a download. */
export async function buildReceiptPdf(receipt: ReceiptPdf): Promise<jsPDF> {
  const { jsPDF: Pdf } = await import('jspdf');
  const doc = new Pdf({ unit: 'mm', format: [80, 130] });
  doc.setFontSize(14);
  doc.text(receipt.title, 6, 12);
  doc.setFontSize(11);
  doc.text(receipt.offline, 6, 19);
  doc.setFontSize(8);
  let y = 28;
  for (const [label, value] of receipt.rows) {
    const lines = doc.splitTextToSize(value, 42) as string[];
    doc.text(label, 6, y);
    doc.text(lines, 34, y);
    y += 4 * lines.length + 2;
  }
  return doc;
}

export async function saveReceiptPdf(receipt: ReceiptPdf): Promise<void> {
  (await buildReceiptPdf(receipt)).save(receipt.fileName);
}
