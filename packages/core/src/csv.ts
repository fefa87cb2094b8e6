/**
 * CSV as RFC 4180 writes it (CRLF line ends, fields with `"`, `,`, CR or LF quoted, quotes
 * doubled), with cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, and the tab
 * and CR that some treat alike) prefixed with `'`, as OWASP advises against CSV injection.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  const safe = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV record, CRLF-terminated. */
export const csvLine = (values: readonly (string | number | boolean | null | undefined)[]) =>
  `${values.map(csvField).join(',')}\r\n`;
