type Cell = string | number | null | undefined;

// RFC 4180: quote a field holding a separator, quote or line break; double the quotes inside.
function escapeCell(cell: Cell): string {
  const text = cell === null || cell === undefined ? "" : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV text with CRLF line ends, as spreadsheets expect. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<Cell>>): string {
  return rows.map((row) => row.map(escapeCell).join(",")).join("\r\n") + "\r\n";
}
