import { specOfColumns } from "@/lib/job-history/aggregates";
import { fromMicros } from "@/lib/cost/money";
import type { JobRecord } from "@/lib/generated/prisma/client";

/** One finished job as the History tab and its CSV show it. */
export interface JobHistoryRow {
  podUid: string;
  podName: string;
  namespace: string;
  runnerName: string | null;
  projectPath: string | null;
  jobId: string | null;
  jobName: string | null;
  jobUrl: string | null;
  ref: string | null;
  phase: string;
  reason: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string;
  billedSeconds: number;
  vcpu: number;
  memoryGiB: number;
  currency: string;
  /** Decimal string in the currency's major unit. */
  cost: string;
}

export interface JobHistoryPage {
  rows: JobHistoryRow[];
  total: number;
  page: number;
  pageSize: number;
  /** Over every matching row, not only this page; one entry per currency. */
  totals: Array<{ currency: string; cost: string; jobs: number }>;
}

/** The JobRecord columns a history row shows. */
type RecordRow = Pick<
  JobRecord,
  | "podUid"
  | "podName"
  | "namespace"
  | "runnerName"
  | "projectPath"
  | "jobId"
  | "jobName"
  | "jobUrl"
  | "ref"
  | "phase"
  | "reason"
> &
  Pick<
    JobRecord,
    "createdAt" | "startedAt" | "finishedAt" | "billedSeconds" | "vcpuMilli" | "memoryMiB" | "currency" | "costMicros"
  >;

export function toHistoryRow(record: RecordRow): JobHistoryRow {
  return {
    podUid: record.podUid,
    podName: record.podName,
    namespace: record.namespace,
    runnerName: record.runnerName,
    projectPath: record.projectPath,
    jobId: record.jobId,
    jobName: record.jobName,
    jobUrl: record.jobUrl,
    ref: record.ref,
    phase: record.phase,
    reason: record.reason,
    createdAt: record.createdAt.toISOString(),
    startedAt: record.startedAt?.toISOString() ?? null,
    finishedAt: record.finishedAt.toISOString(),
    billedSeconds: record.billedSeconds,
    ...specOfColumns(record.vcpuMilli, record.memoryMiB),
    currency: record.currency,
    cost: fromMicros(record.costMicros).toFixed(),
  };
}

const CSV_COLUMNS: Array<[string, (row: JobHistoryRow) => string | number | null]> = [
  ["finished_at", (r) => r.finishedAt],
  ["project", (r) => r.projectPath],
  ["job_id", (r) => r.jobId],
  ["job_name", (r) => r.jobName],
  ["ref", (r) => r.ref],
  ["status", (r) => r.phase],
  ["reason", (r) => r.reason],
  ["runner", (r) => r.runnerName],
  ["pod", (r) => r.podName],
  ["namespace", (r) => r.namespace],
  ["created_at", (r) => r.createdAt],
  ["started_at", (r) => r.startedAt],
  ["billed_seconds", (r) => r.billedSeconds],
  ["vcpu", (r) => r.vcpu],
  ["memory_gib", (r) => r.memoryGiB],
  ["currency", (r) => r.currency],
  ["cost", (r) => r.cost],
  ["job_url", (r) => r.jobUrl],
];

// RFC 4180 quoting; a leading = + - @ would be run as a formula by spreadsheet apps.
function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function historyCsv(rows: readonly JobHistoryRow[]): string {
  const header = CSV_COLUMNS.map(([name]) => name).join(",");
  const lines = rows.map((row) => CSV_COLUMNS.map(([, get]) => csvCell(get(row))).join(","));
  return [header, ...lines].join("\r\n") + "\r\n";
}
