import "server-only";
import { db } from "@/lib/db.server";
import { microsFromDatabase } from "@/lib/cost/money";
import type { GitlabPipeline } from "@/lib/generated/prisma/client";
import {
  costBy,
  costPerSuccessfulPipeline,
  pipelineJobRows,
  totalsByCurrency,
  type CostDimension,
  type CostRow,
  type PipelineJobRow,
  type RecordFacts,
} from "./pipeline-cost";
import { GitlabApiError, type GitlabResult } from "./problems";
import { jobColumns, toDate } from "./records";
import { storedClient } from "./service.server";
import { linkJobRecords, upsertJob, upsertPipeline } from "./sync.server";
import { mergeRequestIidOf } from "./join";
import type { GitlabPipeline as ApiPipeline } from "./schemas";

/** Pipelines and their cost, from the stored GitLab jobs and the job records joined to them. */

const RECORD_FACTS = {
  gitlabJobId: true,
  podName: true,
  namespace: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  costMicros: true,
  currency: true,
  billedSeconds: true,
  source: true,
} as const;

async function recordsFor(gitlabConnectionId: string, jobIds: number[]): Promise<RecordFacts[]> {
  if (jobIds.length === 0) return [];
  const rows = await db.jobRecord.findMany({
    where: { gitlabConnectionId, gitlabJobId: { in: jobIds } },
    select: RECORD_FACTS,
  });
  return rows.map(recordFacts);
}

/** A selected job record with its BigInt money column read as a number (docs/database.md). */
function recordFacts(
  row: { gitlabJobId: number | null; costMicros: bigint } & Omit<RecordFacts, "gitlabJobId" | "costMicros">,
): RecordFacts {
  return { ...row, gitlabJobId: row.gitlabJobId!, costMicros: microsFromDatabase(row.costMicros) };
}

export interface PipelineSummary {
  pipelineId: number;
  projectId: number;
  projectPath: string | null;
  status: string;
  ref: string | null;
  mergeRequestIid: number | null;
  source: string | null;
  userName: string | null;
  createdAt: string | null;
  durationSeconds: number | null;
  jobs: number;
  cost: Record<string, number>;
}

function summary(p: GitlabPipeline, jobs: number, cost: Record<string, number>): PipelineSummary {
  return {
    pipelineId: p.pipelineId,
    projectId: p.projectId,
    projectPath: p.projectPath,
    status: p.status,
    ref: p.ref,
    mergeRequestIid: p.mergeRequestIid,
    source: p.source,
    userName: p.userName,
    createdAt: p.createdAt?.toISOString() ?? null,
    durationSeconds: p.durationSeconds,
    jobs,
    cost,
  };
}

export async function listPipelines(gitlabConnectionId: string, limit = 50): Promise<PipelineSummary[]> {
  const pipelines = await db.gitlabPipeline.findMany({
    where: { gitlabConnectionId },
    orderBy: { pipelineId: "desc" },
    take: limit,
  });
  const jobs = await db.gitlabJob.findMany({
    where: { gitlabConnectionId, pipelineId: { in: pipelines.map((p) => p.pipelineId) } },
    select: { jobId: true, pipelineId: true },
  });
  const records = await recordsFor(
    gitlabConnectionId,
    jobs.map((j) => j.jobId),
  );
  const pipelineOf = new Map(jobs.map((j) => [j.jobId, j.pipelineId]));
  return pipelines.map((p) => {
    const mine = records.filter((r) => pipelineOf.get(r.gitlabJobId) === p.pipelineId);
    return summary(p, jobs.filter((j) => j.pipelineId === p.pipelineId).length, totalsByCurrency(mine));
  });
}

export interface PipelineDetail {
  pipeline: PipelineSummary & { webUrl: string | null; sha: string | null };
  jobs: Array<
    Omit<PipelineJobRow, "createdAt" | "startedAt" | "finishedAt"> & {
      createdAt: string | null;
      startedAt: string | null;
      finishedAt: string | null;
    }
  >;
  total: Record<string, number>;
  /** Why the view may be stale: GitLab could not be asked just now. */
  refreshProblem: string | null;
}

/** Asks GitLab for the pipeline and its jobs (best effort), then reads the stored view. */
export async function pipelineDetail(gitlabConnectionId: string, pipelineId: number): Promise<PipelineDetail | null> {
  const known = await db.gitlabPipeline.findUnique({
    where: { gitlabConnectionId_pipelineId: { gitlabConnectionId, pipelineId } },
  });
  let refreshProblem: string | null = null;
  if (known) {
    const refreshed = await refreshPipeline(gitlabConnectionId, known.projectId, pipelineId, known.projectPath);
    if (!refreshed.ok) refreshProblem = refreshed.problem.code;
  }
  const detail = await storedPipelineDetail(gitlabConnectionId, pipelineId);
  return detail && { ...detail, refreshProblem };
}

// What the view shows of a job: its facts, not the row's bookkeeping (syncedAt moves on every pass
// even when nothing changed, and the open page's stream compares whole views).
const JOB_FACTS = {
  jobId: true,
  pipelineId: true,
  projectId: true,
  projectPath: true,
  name: true,
  stage: true,
  status: true,
  ref: true,
  mergeRequestIid: true,
  userName: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  durationSeconds: true,
  queuedSeconds: true,
} as const;

/** The stored view of a pipeline, without asking GitLab (the open page's stream reads this). */
export async function storedPipelineDetail(
  gitlabConnectionId: string,
  pipelineId: number,
): Promise<PipelineDetail | null> {
  const pipeline = await db.gitlabPipeline.findUnique({
    where: { gitlabConnectionId_pipelineId: { gitlabConnectionId, pipelineId } },
  });
  if (!pipeline) return null;
  const jobs = await db.gitlabJob.findMany({
    where: { gitlabConnectionId, pipelineId },
    select: JOB_FACTS,
    orderBy: { jobId: "asc" },
  });
  const rows = pipelineJobRows(
    jobs,
    await recordsFor(
      gitlabConnectionId,
      jobs.map((j) => j.jobId),
    ),
  );
  const total = totalsByCurrency(rows);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    pipeline: { ...summary(pipeline, jobs.length, total), webUrl: pipeline.webUrl, sha: pipeline.sha },
    jobs: rows.map((r) => ({
      ...r,
      createdAt: iso(r.createdAt),
      startedAt: iso(r.startedAt),
      finishedAt: iso(r.finishedAt),
    })),
    total,
    refreshProblem: null,
  };
}

function pipelineColumns(p: ApiPipeline, projectPath: string | null) {
  return {
    pipelineId: p.id,
    projectId: p.project_id,
    projectPath,
    status: p.status,
    ref: p.ref ?? null,
    mergeRequestIid: mergeRequestIidOf(p.ref),
    source: p.source ?? null,
    sha: p.sha ?? null,
    userName: p.user?.username ?? null,
    webUrl: p.web_url ?? null,
    createdAt: toDate(p.created_at),
    startedAt: toDate(p.started_at),
    finishedAt: toDate(p.finished_at),
    durationSeconds: p.duration ?? null,
    queuedSeconds: p.queued_duration ?? null,
  };
}

export async function refreshPipeline(
  gitlabConnectionId: string,
  projectId: number,
  pipelineId: number,
  projectPath: string | null,
): Promise<GitlabResult<null>> {
  const stored = await storedClient(gitlabConnectionId);
  if (!stored.ok) return stored;
  try {
    const { client } = stored.value;
    const path = projectPath ?? (await client.project(projectId)).path_with_namespace;
    await upsertPipeline(gitlabConnectionId, pipelineColumns(await client.pipeline(projectId, pipelineId), path));
    const jobs = await client.pipelineJobs(projectId, pipelineId);
    for (const job of jobs) await upsertJob(gitlabConnectionId, jobColumns(job, { id: projectId, path }));
    await linkJobRecords(
      gitlabConnectionId,
      jobs.map((job) => job.id),
    );
    return { ok: true, value: null };
  } catch (error) {
    if (error instanceof GitlabApiError) return { ok: false, problem: error.problem };
    throw error;
  }
}

/** POST /projects/:id/pipeline; the new pipeline and its jobs are stored at once. */
export async function runPipeline(
  gitlabConnectionId: string,
  projectId: number,
  ref: string,
): Promise<GitlabResult<{ pipelineId: number }>> {
  const stored = await storedClient(gitlabConnectionId);
  if (!stored.ok) return stored;
  try {
    const created = await stored.value.client.createPipeline(projectId, ref);
    const refreshed = await refreshPipeline(gitlabConnectionId, projectId, created.id, null);
    if (!refreshed.ok) return refreshed;
    return { ok: true, value: { pipelineId: created.id } };
  } catch (error) {
    if (error instanceof GitlabApiError) return { ok: false, problem: error.problem };
    throw error;
  }
}

/** Retry or cancel one job (POST …/jobs/:id/retry|cancel), then refresh its pipeline. */
export async function jobAction(
  gitlabConnectionId: string,
  jobId: number,
  action: "retry" | "cancel",
): Promise<GitlabResult<{ pipelineId: number | null }>> {
  const job = await db.gitlabJob.findUnique({
    where: { gitlabConnectionId_jobId: { gitlabConnectionId, jobId } },
    select: { projectId: true, pipelineId: true, projectPath: true },
  });
  if (!job) return { ok: false, problem: { code: "notFound", params: { path: `job ${jobId}`, status: 404 } } };
  const stored = await storedClient(gitlabConnectionId);
  if (!stored.ok) return stored;
  try {
    const { client } = stored.value;
    const answer =
      action === "retry" ? await client.retryJob(job.projectId, jobId) : await client.cancelJob(job.projectId, jobId);
    await upsertJob(gitlabConnectionId, jobColumns(answer, { id: job.projectId, path: job.projectPath }));
    if (job.pipelineId !== null)
      await refreshPipeline(gitlabConnectionId, job.projectId, job.pipelineId, job.projectPath);
    return { ok: true, value: { pipelineId: job.pipelineId } };
  } catch (error) {
    if (error instanceof GitlabApiError) return { ok: false, problem: error.problem };
    throw error;
  }
}

export interface GitlabCostReport {
  since: string;
  by: Record<CostDimension, CostRow[]>;
  topPipelines: PipelineSummary[];
  perSuccessfulPipeline: ReturnType<typeof costPerSuccessfulPipeline>;
  jobs: number;
}

/** Cost by project, pipeline, branch/MR, user and stage over the last `days`, from GitLab's data. */
export async function gitlabCostReport(
  gitlabConnectionId: string,
  days = 30,
  now = new Date(),
): Promise<GitlabCostReport> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const records = (
    await db.jobRecord.findMany({
      where: { gitlabConnectionId, gitlabJobId: { not: null }, finishedAt: { gte: since } },
      select: RECORD_FACTS,
      take: 100_000,
    })
  ).map(recordFacts);
  const jobs = await db.gitlabJob.findMany({
    where: { gitlabConnectionId, jobId: { in: records.map((r) => r.gitlabJobId!) } },
  });
  const jobById = new Map(jobs.map((j) => [j.jobId, j]));
  const joined = records
    .filter((r) => jobById.has(r.gitlabJobId!))
    .map((r) => ({ job: jobById.get(r.gitlabJobId!)!, record: { ...r, gitlabJobId: r.gitlabJobId! } }));
  const dimensions: CostDimension[] = ["project", "pipeline", "branch", "user", "stage"];
  const by = Object.fromEntries(dimensions.map((d) => [d, costBy(d, joined).slice(0, 20)])) as Record<
    CostDimension,
    CostRow[]
  >;

  const pipelineIds = [...new Set(jobs.map((j) => j.pipelineId).filter((id): id is number => id !== null))];
  const pipelines = await db.gitlabPipeline.findMany({
    where: { gitlabConnectionId, pipelineId: { in: pipelineIds } },
  });
  const costOf = new Map<number, Record<string, number>>();
  for (const { job, record } of joined) {
    if (job.pipelineId === null) continue;
    const totals = costOf.get(job.pipelineId) ?? {};
    totals[record.currency] = (totals[record.currency] ?? 0) + record.costMicros;
    costOf.set(job.pipelineId, totals);
  }
  const summaries = pipelines.map((p) =>
    summary(p, jobs.filter((j) => j.pipelineId === p.pipelineId).length, costOf.get(p.pipelineId) ?? {}),
  );
  const total = (s: PipelineSummary) => Object.values(s.cost).reduce((a, b) => a + b, 0);
  return {
    since: since.toISOString(),
    by,
    topPipelines: [...summaries].sort((a, b) => total(b) - total(a)).slice(0, 10),
    perSuccessfulPipeline: costPerSuccessfulPipeline(
      summaries.flatMap((s) =>
        Object.entries(s.cost).map(([currency, costMicros]) => ({ status: s.status, currency, costMicros })),
      ),
    ),
    jobs: joined.length,
  };
}
