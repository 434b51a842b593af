import { toCsv } from "@/lib/csv";
import type { AuditEventDto } from "./log.server";

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

/** Rows of the audit export (lib/csv.ts: every text cell formula-safe); the header goes first in the first batch. */
export function auditCsv(events: readonly AuditEventDto[], withHeader: boolean): string {
  const rows = events.map((event) => [
    event.at,
    event.actorName,
    event.address,
    event.action,
    event.targetType,
    event.targetId,
    event.targetName,
    event.result,
    event.message,
  ]);
  return toCsv(withHeader ? [[...AUDIT_CSV_HEADER], ...rows] : rows);
}
