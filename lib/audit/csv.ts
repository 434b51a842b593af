import { toCsv } from "@/lib/cost/csv";
import type { AuditEventDto } from "./log.server";

// TODO(issue 10): use the single formula-safe CSV writer when it lands; until then the cells are
// neutralised here the way lib/job-history/list.ts does it.
function formulaSafe(text: string | null): string | null {
  // A leading = + - @ (or tab / CR) makes a spreadsheet evaluate the cell: prefix a quote so it stays text.
  return text !== null && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export const AUDIT_CSV_HEADER = [
  "time_utc",
  "user",
  "address",
  "action",
  "target_type",
  "target_id",
  "target",
  "result",
  "message",
] as const;

/** Rows of the audit export, every text cell formula-safe; the header goes first in the first batch. */
export function auditCsv(events: readonly AuditEventDto[], withHeader: boolean): string {
  const rows = events.map((event) =>
    [
      event.at,
      event.actorName,
      event.address,
      event.action,
      event.targetType,
      event.targetId,
      event.targetName,
      event.result,
      event.message,
    ].map(formulaSafe),
  );
  return toCsv(withHeader ? [[...AUDIT_CSV_HEADER], ...rows] : rows);
}
