type Cell = string | number | null | undefined;

/**
 * One CSV cell, safe to open in a spreadsheet: a text starting with = + - @ (or tab / CR) would be run
 * as a formula, so it gets a leading quote and stays text (OWASP "CSV injection"); numbers pass as
 * they are. Then RFC 4180: quote a field holding a separator, quote or line break; double the quotes.
 */
export function csvCell(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  let text = String(cell);
  if (typeof cell === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV text with CRLF line ends, as spreadsheets expect. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<Cell>>): string {
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
