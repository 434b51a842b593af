export type CsvCell = string | number | boolean | null | undefined;

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection"): = + - @,
 * tab and carriage return, plus line feed and the full-width forms some locales' spreadsheets
 * treat the same (＝ ＋ － ＠).
 */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * One cell, safe for spreadsheets and RFC 4180. Text that could start a formula gets a leading
 * single quote (OWASP's recommendation; the spreadsheet shows the text, the quote marks it as
 * text), then a cell holding a comma, quote or line break is quoted with its quotes doubled.
 * Numbers are written as numbers: a negative number is a value, not a formula.
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV text with CRLF line ends, as spreadsheets expect; the one CSV writer of every export. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<CsvCell>>): string {
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
