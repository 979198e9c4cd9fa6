/**
 * CSV as RFC 4180 says (CRLF line ends; a field holding a comma, a quote, CR or LF is
 * quoted, its quotes doubled), with the spreadsheet formula guard: a cell starting with
 * = + - @ (or a tab or CR, which some spreadsheets skip before one) gets a leading
 * apostrophe, so a value from a record can never run as a formula when the file is opened.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
