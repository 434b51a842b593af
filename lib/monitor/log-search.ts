/**
 * Search within a loaded log: the lines containing the text (case-insensitive), so a long job log
 * can be narrowed to its errors. Pure, for the pod panel's log view.
 */
export interface LogMatches {
  /** The matching lines, in order; every line when the query is empty. */
  lines: string[];
  /** How many lines matched (0 with an empty query: nothing was searched). */
  count: number;
}

export function searchLog(text: string, query: string): LogMatches {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const needle = query.trim().toLowerCase();
  if (!needle) return { lines, count: 0 };
  const matching = lines.filter((line) => line.toLowerCase().includes(needle));
  return { lines: matching, count: matching.length };
}
