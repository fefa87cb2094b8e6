/** A cell's value before CSV quoting; absent values are empty cells. */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * One CSV record as RFC 4180 writes it (CRLF, quotes doubled, quoted when needed), with a
 * leading apostrophe on any cell a spreadsheet would run as a formula (`= + - @`, tab, CR):
 * exports carry text that people typed.
 */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: CsvValue): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
