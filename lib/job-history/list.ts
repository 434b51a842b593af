import { specOfColumns } from "@/lib/job-history/aggregates";
import { fromMicros } from "@/lib/cost/money";
import type { GitlabJob, JobRecord } from "@/lib/generated/prisma/client";
import { toCsv } from "@/lib/csv";

/**
 * GitLab's word on a finished job pod: its result once GitLab finished the job; "pending" while the
 * pod is joined to a GitLab job GitLab has not finished yet (the link polls or gets a webhook soon);
 * "unknown" when no GitLab job is joined (no GitLab connected for its instance, a pod without the
 * runner's annotations). On a real cluster the pod's phase cannot tell: the runner deletes job pods
 * while they are Running.
 */
export const GITLAB_RESULTS = ["success", "failed", "canceled", "skipped"] as const;
export type GitlabResult = (typeof GITLAB_RESULTS)[number];
export type HistoryResult = GitlabResult | "pending" | "unknown";

export function historyResult(record: { gitlabJobId: number | null; gitlabStatus: string | null }): HistoryResult {
  if (record.gitlabStatus && (GITLAB_RESULTS as readonly string[]).includes(record.gitlabStatus))
    return record.gitlabStatus as GitlabResult;
  return record.gitlabJobId === null ? "unknown" : "pending";
}

/** The GitLab job's facts a History row shows (from the GitlabJob row the link stored). */
export type GitlabJobFacts = Pick<
  GitlabJob,
  "pipelineId" | "ref" | "mergeRequestIid" | "userName" | "stage" | "webUrl" | "failureReason"
>;

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
  /** Where the pod ran and was priced: "eci" or "acs", with ACS's class and QoS. */
  backend: string;
  computeClass: string | null;
  qos: string | null;
  /** GitLab's result (historyResult); the pod's own outcome stays in `phase`. */
  result: HistoryResult;
  gitlabConnectionId: string | null;
  gitlabJobId: number | null;
  pipelineId: number | null;
  /** GitLab's ref of the pipeline where known, else the runner's annotation. */
  pipelineRef: string | null;
  mergeRequestIid: number | null;
  userName: string | null;
  stage: string | null;
  failureReason: string | null;
  /** "pod" (observed) or "gitlab" (backfilled from GitLab's times: the pod came and went unseen). */
  source: string;
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
    | "createdAt"
    | "startedAt"
    | "finishedAt"
    | "billedSeconds"
    | "vcpuMilli"
    | "memoryMiB"
    | "currency"
    | "costMicros"
    | "backend"
    | "computeClass"
    | "qos"
    | "gitlabConnectionId"
    | "gitlabJobId"
    | "gitlabStatus"
    | "source"
  >;

export function toHistoryRow(record: RecordRow, gitlab: GitlabJobFacts | null = null): JobHistoryRow {
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
    backend: record.backend,
    computeClass: record.computeClass,
    qos: record.qos,
    result: historyResult(record),
    gitlabConnectionId: record.gitlabConnectionId,
    gitlabJobId: record.gitlabJobId,
    pipelineId: gitlab?.pipelineId ?? null,
    pipelineRef: gitlab?.ref ?? record.ref,
    mergeRequestIid: gitlab?.mergeRequestIid ?? null,
    userName: gitlab?.userName ?? null,
    stage: gitlab?.stage ?? null,
    failureReason: gitlab?.failureReason ?? null,
    source: record.source,
  };
}

const CSV_COLUMNS: Array<[string, (row: JobHistoryRow) => string | number | null]> = [
  ["finished_at", (r) => r.finishedAt],
  ["project", (r) => r.projectPath],
  ["job_id", (r) => r.jobId],
  ["job_name", (r) => r.jobName],
  ["stage", (r) => r.stage],
  ["pipeline_id", (r) => r.pipelineId],
  ["ref", (r) => r.pipelineRef],
  ["merge_request_iid", (r) => r.mergeRequestIid],
  ["user", (r) => r.userName],
  ["gitlab_result", (r) => r.result],
  ["failure_reason", (r) => r.failureReason],
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
  ["backend", (r) => r.backend],
  ["compute_class", (r) => r.computeClass],
  ["qos", (r) => r.qos],
  ["currency", (r) => r.currency],
  ["cost", (r) => r.cost],
  ["job_url", (r) => r.jobUrl],
  ["source", (r) => r.source],
];

export function historyCsv(rows: readonly JobHistoryRow[]): string {
  return toCsv([CSV_COLUMNS.map(([name]) => name), ...rows.map((row) => CSV_COLUMNS.map(([, get]) => get(row)))]);
}
