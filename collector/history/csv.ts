/** CSV for exports: RFC 4180 quoting, and cells that cannot turn into spreadsheet formulas. */

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  // A leading = + - @ makes Excel evaluate the cell; prefix with ' (OWASP CSV injection advice). Numbers are safe.
  if (typeof value !== 'number' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV lines for rows, each ending in CRLF (for streaming after a header). */
export function csvRows(rows: readonly (readonly unknown[])[]): string {
  let out = '';
  for (const row of rows) out += `${row.map(csvCell).join(',')}\r\n`;
  return out;
}

/** A CSV document from column names and rows. */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return csvRows([columns, ...rows]);
}
