/**
 * toCsv(): RFC 4180 CSV text of a table. A field containing a comma, a
 * double quote, CR or LF is quoted, with embedded quotes doubled; null
 * and undefined are empty fields. Records end with "\n" (as the files
 * this project wrote before) rather than RFC 4180's CRLF; a header line
 * comes first.
 */

/** One CSV field: quoted (embedded quotes doubled) when it needs to be. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, "\"\"")}"` : s;
}

/** The header line and one line per row, each ending with "\n". */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [columns, ...rows].map((r) => r.map(csvField).join(",") + "\n").join("");
}
