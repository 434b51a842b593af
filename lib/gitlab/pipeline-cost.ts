import { queueSplit, type QueueSplit } from "./queue-split";

/**
 * The pipeline view's and the GitLab cost page's numbers, pure: GitLab's jobs joined to the job
 * records (cost, pod times) by job id, then summed per pipeline and per dimension.
 */

export interface JobFacts {
  jobId: number;
  pipelineId: number | null;
  projectId: number;
  projectPath: string | null;
  name: string;
  stage: string;
  status: string;
  ref: string | null;
  mergeRequestIid: number | null;
  userName: string | null;
  createdAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationSeconds: number | null;
  queuedSeconds: number | null;
}

export interface RecordFacts {
  gitlabJobId: number;
  podName: string;
  namespace: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date;
  costMicros: number;
  currency: string;
  billedSeconds: number;
  source: string;
}

export interface PipelineJobRow extends JobFacts {
  pod: { name: string; namespace: string; estimated: boolean } | null;
  queue: QueueSplit;
  costMicros: number | null;
  currency: string | null;
  billedSeconds: number | null;
}

export function pipelineJobRows(jobs: JobFacts[], records: RecordFacts[]): PipelineJobRow[] {
  const byJob = new Map(records.map((r) => [r.gitlabJobId, r]));
  return [...jobs]
    .sort((a, b) => a.jobId - b.jobId)
    .map((job) => {
      const record = byJob.get(job.jobId) ?? null;
      // A backfilled record's "pod" times are GitLab's, not a pod's: no start-up split for it.
      const observed = record && record.source !== "gitlab" ? record : null;
      return {
        ...job,
        pod: record
          ? { name: record.podName, namespace: record.namespace, estimated: record.source === "gitlab" }
          : null,
        queue: queueSplit(job, observed ? { createdAt: observed.createdAt, startedAt: observed.startedAt } : null),
        costMicros: record?.costMicros ?? null,
        currency: record?.currency ?? null,
        billedSeconds: record?.billedSeconds ?? null,
      };
    });
}

/** Per-currency totals (a connection's records normally share one currency; never add CNY to USD). */
export function totalsByCurrency(
  rows: Array<{ costMicros: number | null; currency: string | null }>,
): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const row of rows) {
    if (row.costMicros === null || !row.currency) continue;
    totals[row.currency] = (totals[row.currency] ?? 0) + row.costMicros;
  }
  return totals;
}

export type CostDimension = "project" | "pipeline" | "branch" | "user" | "stage";

export interface CostRow {
  key: string;
  currency: string;
  costMicros: number;
  jobs: number;
  billedSeconds: number;
}

/** Cost grouped by one dimension, most expensive first. Branch is "!<iid>" for merge request pipelines. */
export function costBy(dimension: CostDimension, joined: Array<{ job: JobFacts; record: RecordFacts }>): CostRow[] {
  const key = ({ job }: { job: JobFacts }): string => {
    switch (dimension) {
      case "project":
        return job.projectPath ?? `#${job.projectId}`;
      case "pipeline":
        return `${job.projectPath ?? job.projectId}#${job.pipelineId ?? "?"}`;
      case "branch":
        return job.mergeRequestIid !== null ? `!${job.mergeRequestIid}` : (job.ref ?? "?");
      case "user":
        return job.userName ?? "?";
      case "stage":
        return job.stage;
    }
  };
  const groups = new Map<string, CostRow>();
  for (const row of joined) {
    const k = key(row);
    const id = `${k}\u0000${row.record.currency}`;
    const group = groups.get(id) ?? { key: k, currency: row.record.currency, costMicros: 0, jobs: 0, billedSeconds: 0 };
    group.costMicros += row.record.costMicros;
    group.jobs += 1;
    group.billedSeconds += row.record.billedSeconds;
    groups.set(id, group);
  }
  return [...groups.values()].sort((a, b) => b.costMicros - a.costMicros || a.key.localeCompare(b.key));
}

/**
 * What a green pipeline costs: all spend on the pipelines that ended (the failed and canceled runs
 * are part of the price of getting a green one) divided by the successful ones.
 */
export function costPerSuccessfulPipeline(
  pipelines: Array<{ status: string; costMicros: number; currency: string }>,
): Array<{ currency: string; perSuccessMicros: number | null; successful: number; finished: number }> {
  const byCurrency = new Map<string, { total: number; successful: number; finished: number }>();
  for (const p of pipelines) {
    if (!["success", "failed", "canceled"].includes(p.status)) continue;
    const entry = byCurrency.get(p.currency) ?? { total: 0, successful: 0, finished: 0 };
    entry.total += p.costMicros;
    entry.finished += 1;
    if (p.status === "success") entry.successful += 1;
    byCurrency.set(p.currency, entry);
  }
  return [...byCurrency.entries()].map(([currency, e]) => ({
    currency,
    perSuccessMicros: e.successful > 0 ? Math.round(e.total / e.successful) : null,
    successful: e.successful,
    finished: e.finished,
  }));
}
