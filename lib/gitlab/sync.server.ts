import "server-only";
import { loadConnectionPricing } from "@/lib/cost/connection-pricing.server";
import { acsPodLabels, isAcsComputeClass, isAcsQos } from "@ask-ci/billing/acs/labels";
import { db } from "@/lib/db.server";
import { finishedJobEnd, jobRecordData } from "@/lib/job-history/record";
import { forEachAtMost } from "./at-most";
import { jobsToBackfill, reconstructedJobPod } from "./backfill";
import type { GitlabClient } from "./client.server";
import { isFinishedStatus } from "./job-status";
import { instanceForRef, recordJobRef } from "./join";
import { GitlabApiError } from "./problems";
import { jobColumns, type GitlabJobColumns } from "./records";
import { storedClient } from "./service.server";
import { keepsStoredStatus, type PipelineColumns } from "./webhook";

/**
 * The GitLab link's sync pass for one GitLab connection: read what GitLab knows about our runners'
 * jobs (new ones since the cursor, and every job we last saw unfinished), store it, join it to the
 * job records the monitor wrote, and backfill the jobs whose pods nobody saw. Idempotent: a second
 * pass, a restart or a webhook racing it changes nothing (unique keys decide).
 */

export interface SyncReport {
  jobsSeen: number;
  linked: number;
  backfilled: number;
  problem: string | null;
}

interface OurRunner {
  runnerId: number;
  connectionId: string | null;
  settings: string;
}

export async function syncGitlabConnection(gitlabConnectionId: string, now = new Date()): Promise<SyncReport> {
  const report: SyncReport = { jobsSeen: 0, linked: 0, backfilled: 0, problem: null };
  const stored = await storedClient(gitlabConnectionId);
  if (!stored.ok) return { ...report, problem: stored.problem.code };
  const { client } = stored.value;
  const runners = await ourRunners(gitlabConnectionId);
  try {
    for (const runner of runners) report.jobsSeen += await readNewJobs(client, gitlabConnectionId, runner.runnerId);
    report.jobsSeen += await refreshUnfinished(client, gitlabConnectionId);
    report.jobsSeen += await fetchJobsOnlyPodsNamed(client, gitlabConnectionId, now);
  } catch (error) {
    if (!(error instanceof GitlabApiError)) throw error;
    report.problem = error.problem.code;
  }
  report.linked = await linkJobRecords(gitlabConnectionId);
  report.backfilled = await backfill(gitlabConnectionId, runners, now);
  await db.gitlabConnection.updateMany({
    where: { id: gitlabConnectionId },
    data: report.problem ? { lastError: report.problem } : { lastSyncAt: now },
  });
  return report;
}

async function ourRunners(gitlabConnectionId: string): Promise<OurRunner[]> {
  const profiles = await db.runnerProfile.findMany({
    where: { gitlabConnectionId, gitlabRunnerId: { not: null } },
    select: { gitlabRunnerId: true, connectionId: true, settings: true },
  });
  return profiles.map((p) => ({ runnerId: p.gitlabRunnerId!, connectionId: p.connectionId, settings: p.settings }));
}

/** New jobs of a runner, newest first, until the cursor: a restart reads only what it has not seen. */
async function readNewJobs(client: GitlabClient, gitlabConnectionId: string, runnerId: number): Promise<number> {
  const cursor = await db.gitlabRunnerCursor.findUnique({
    where: { gitlabConnectionId_runnerId: { gitlabConnectionId, runnerId } },
  });
  const since = cursor?.newestJobId ?? 0;
  let newest = since;
  let seen = 0;
  pages: for await (const page of client.runnerJobPages(runnerId)) {
    for (const job of page) {
      if (job.id <= since) break pages;
      newest = Math.max(newest, job.id);
      await upsertJob(gitlabConnectionId, { ...jobColumns(job), runnerId: job.runner?.id ?? runnerId });
      seen++;
    }
  }
  if (newest > since) {
    await db.gitlabRunnerCursor.upsert({
      where: { gitlabConnectionId_runnerId: { gitlabConnectionId, runnerId } },
      create: { gitlabConnectionId, runnerId, newestJobId: newest },
      update: { newestJobId: newest },
    });
  }
  return seen;
}

/**
 * At most this many unfinished jobs are asked for again per pass, this many requests at a time. A
 * pass every 15 s without webhooks (POLL.busyNoHooksMs) then asks at most 1,000 times a minute: half
 * GitLab.com's 2,000 authenticated requests a minute, leaving the rest to the runners' own callers.
 */
export const REFRESH_BATCH = 250;
const REFRESH_CONCURRENCY = 4;

/**
 * Jobs last seen pending or running: ask for each again (a missed webhook must not leave them running
 * forever), the least recently checked first (`checkedAt`, never checked before all), so however many
 * stay unfinished (a job whose runner died stays running in GitLab until GitLab drops it as stuck),
 * every one is asked again within ceil(unfinished / REFRESH_BATCH) passes.
 */
async function refreshUnfinished(client: GitlabClient, gitlabConnectionId: string): Promise<number> {
  const unfinished = await db.gitlabJob.findMany({
    where: { gitlabConnectionId, status: { notIn: ["success", "failed", "canceled", "skipped"] } },
    select: { jobId: true, projectId: true, projectPath: true, runnerId: true },
    orderBy: [{ checkedAt: { sort: "asc", nulls: "first" } }, { jobId: "asc" }],
    take: REFRESH_BATCH,
  });
  let seen = 0;
  await forEachAtMost(unfinished, REFRESH_CONCURRENCY, async (known) => {
    try {
      const job = await client.job(known.projectId, known.jobId);
      await upsertJob(gitlabConnectionId, {
        ...jobColumns(job, { id: known.projectId, path: known.projectPath }),
        runnerId: job.runner?.id ?? known.runnerId,
      });
      seen++;
    } catch (error) {
      // A job erased or a project deleted since: leave the row (checked now, so it waits its turn
      // again instead of heading every batch); the others still count.
      if (!(error instanceof GitlabApiError && error.problem.code === "notFound")) throw error;
      await db.gitlabJob.updateMany({
        where: { gitlabConnectionId, jobId: known.jobId },
        data: { checkedAt: new Date() },
      });
    }
  });
  return seen;
}

/** At most this many jobs a pass that only a pod named (fetchJobsOnlyPodsNamed), asked one by one. */
export const NAMED_JOBS_BATCH = 50;
/** A pod's job GitLab has not answered for in this long is left alone (erased, or another GitLab's). */
const NAMED_JOBS_WITHIN_MS = 24 * 60 * 60_000;

/**
 * Jobs a job pod named (its record is linked to the job id) that no runner's job list showed us. The
 * per-runner cursor reads only ids above the newest it saw, but a runner can pick up an older pending
 * job after a newer one (GitLab's queue for shared runners orders by each project's running jobs,
 * not by id), and `GET /runners/:id/jobs` then lists it below the cursor. Without this its result
 * never reached History. Asked by id, the newest records first; a job GitLab no longer has is skipped.
 */
async function fetchJobsOnlyPodsNamed(client: GitlabClient, gitlabConnectionId: string, now: Date): Promise<number> {
  const named = await db.jobRecord.findMany({
    where: {
      gitlabConnectionId,
      gitlabJobId: { not: null },
      gitlabStatus: null,
      recordedAt: { gte: new Date(now.getTime() - NAMED_JOBS_WITHIN_MS) },
    },
    select: { gitlabJobId: true, projectId: true, projectPath: true },
    orderBy: { recordedAt: "desc" },
    take: 1_000,
  });
  if (named.length === 0) return 0;
  const known = await db.gitlabJob.findMany({
    where: { gitlabConnectionId, jobId: { in: named.map((r) => r.gitlabJobId!) } },
    select: { jobId: true },
  });
  const knownIds = new Set(known.map((j) => j.jobId));
  const unknown = named
    .filter(
      (r) => !knownIds.has(r.gitlabJobId!) && Number.isSafeInteger(Number(r.projectId)) && Number(r.projectId) > 0,
    )
    .slice(0, NAMED_JOBS_BATCH);
  let seen = 0;
  await forEachAtMost(unknown, REFRESH_CONCURRENCY, async (record) => {
    try {
      const job = await client.job(Number(record.projectId), record.gitlabJobId!);
      await upsertJob(gitlabConnectionId, {
        ...jobColumns(job, { id: Number(record.projectId), path: record.projectPath }),
        runnerId: job.runner?.id ?? null,
      });
      seen++;
    } catch (error) {
      if (!(error instanceof GitlabApiError && error.problem.code === "notFound")) throw error;
    }
  });
  return seen;
}

export async function upsertJob(gitlabConnectionId: string, columns: GitlabJobColumns): Promise<void> {
  const where = { gitlabConnectionId_jobId: { gitlabConnectionId, jobId: columns.jobId } };
  const stored = await db.gitlabJob.findUnique({ where, select: { status: true, runnerId: true, projectPath: true } });
  if (keepsStoredStatus(stored?.status, columns.status)) return;
  // A pipeline event's job or a webhook may not name what an earlier answer did: keep what is known.
  const merged = {
    ...columns,
    runnerId: columns.runnerId ?? stored?.runnerId ?? null,
    projectPath: columns.projectPath ?? stored?.projectPath ?? null,
  };
  const row: Omit<GitlabJobColumns, "pipelineStatus"> & { checkedAt: Date } = { ...merged, checkedAt: new Date() };
  delete (row as GitlabJobColumns).pipelineStatus;
  await db.gitlabJob.upsert({ where, create: { gitlabConnectionId, ...row }, update: row });
  await notePipelineOf(gitlabConnectionId, merged);
  if (isFinishedStatus(columns.status)) {
    await db.jobRecord.updateMany({
      where: { gitlabConnectionId, gitlabJobId: columns.jobId },
      data: { gitlabStatus: columns.status },
    });
  }
}

/**
 * The pipeline a job belongs to, from the job's summary: a row when we have none yet, else the
 * pipeline's status the job's answer carries. Without webhooks that is how a stored pipeline learns
 * that it ended; a finished status is never taken back by an older answer (keepsStoredStatus).
 */
async function notePipelineOf(gitlabConnectionId: string, job: GitlabJobColumns): Promise<void> {
  if (job.pipelineId === null) return;
  const where = { gitlabConnectionId_pipelineId: { gitlabConnectionId, pipelineId: job.pipelineId } };
  const stored = await db.gitlabPipeline.findUnique({ where, select: { status: true } });
  if (stored) {
    const status = job.pipelineStatus;
    if (status && status !== stored.status && !keepsStoredStatus(stored.status, status))
      await db.gitlabPipeline.update({ where, data: { status } });
    return;
  }
  await db.gitlabPipeline
    .create({
      data: {
        gitlabConnectionId,
        pipelineId: job.pipelineId,
        projectId: job.projectId,
        projectPath: job.projectPath,
        status: job.pipelineStatus ?? "running",
        ref: job.ref,
        mergeRequestIid: job.mergeRequestIid,
        source: job.source,
        sha: job.commitSha,
        userName: job.userName,
        createdAt: job.createdAt,
      },
    })
    .catch((error: { code?: string }) => {
      if (error.code !== "P2002") throw error;
    });
}

export async function upsertPipeline(gitlabConnectionId: string, columns: PipelineColumns): Promise<void> {
  const where = { gitlabConnectionId_pipelineId: { gitlabConnectionId, pipelineId: columns.pipelineId } };
  const stored = await db.gitlabPipeline.findUnique({ where, select: { status: true } });
  if (keepsStoredStatus(stored?.status, columns.status)) return;
  await db.gitlabPipeline.upsert({ where, create: { gitlabConnectionId, ...columns }, update: columns });
}

/**
 * Joins the monitor's job records to GitLab jobs (by the job URL's instance and the job id). When the
 * job was backfilled before its pod's record arrived, the observed record wins: the backfilled one
 * (an estimate) is removed in the same transaction, so the job stays recorded exactly once.
 * `onlyJobIds`: just the records of these GitLab jobs (a webhook delivery's); the sync pass, which
 * runs without it, joins the rest (and a record whose job id the runner wrote unusually, e.g. "042").
 */
export async function linkJobRecords(gitlabConnectionId: string, onlyJobIds?: readonly number[]): Promise<number> {
  if (onlyJobIds?.length === 0) return 0;
  const instances = await db.gitlabConnection.findMany({ select: { id: true, url: true } });
  const unlinked = await db.jobRecord.findMany({
    where: { gitlabJobId: null, jobId: onlyJobIds ? { in: onlyJobIds.map(String) } : { not: null } },
    select: { id: true, jobId: true, projectId: true, jobUrl: true },
    take: 5_000,
  });
  let linked = 0;
  for (const record of unlinked) {
    const ref = recordJobRef(record);
    if (!ref || instanceForRef(ref, instances)?.id !== gitlabConnectionId) continue;
    const gitlabJob = await db.gitlabJob.findUnique({
      where: { gitlabConnectionId_jobId: { gitlabConnectionId, jobId: ref.jobId } },
      select: { status: true },
    });
    const done = await db.$transaction(async (tx) => {
      const existing = await tx.jobRecord.findUnique({
        where: { gitlabConnectionId_gitlabJobId: { gitlabConnectionId, gitlabJobId: ref.jobId } },
        select: { id: true, source: true },
      });
      if (existing && existing.source !== "gitlab") return false;
      if (existing) await tx.jobRecord.delete({ where: { id: existing.id } });
      await tx.jobRecord.update({
        where: { id: record.id },
        data: {
          gitlabConnectionId,
          gitlabJobId: ref.jobId,
          gitlabStatus: gitlabJob && isFinishedStatus(gitlabJob.status) ? gitlabJob.status : null,
        },
      });
      return true;
    });
    if (done) linked++;
  }
  return linked;
}

async function backfill(gitlabConnectionId: string, runners: OurRunner[], now: Date): Promise<number> {
  let created = 0;
  for (const runner of runners) {
    if (!runner.connectionId) continue;
    const { book, defaultBackend } = await loadConnectionPricing(runner.connectionId);
    const jobs = await db.gitlabJob.findMany({
      where: { gitlabConnectionId, runnerId: runner.runnerId, status: { in: ["success", "failed", "canceled"] } },
    });
    const recorded = new Set(
      (
        await db.jobRecord.findMany({
          where: { gitlabConnectionId, gitlabJobId: { in: jobs.map((j) => j.jobId) } },
          select: { gitlabJobId: true },
        })
      ).map((r) => r.gitlabJobId!),
    );
    const settings = parseSettings(runner.settings);
    for (const job of jobsToBackfill(jobs, recorded, now)) {
      const pod = reconstructedJobPod(
        job,
        gitlabConnectionId,
        settings.namespace,
        settings.resources,
        settings.placementLabels,
      );
      const data = jobRecordData(pod, finishedJobEnd(job.finishedAt!), runner.connectionId, book, { defaultBackend });
      try {
        await db.jobRecord.create({
          data: {
            ...data,
            projectPath: job.projectPath ?? data.projectPath,
            runnerName: settings.runnerName,
            gitlabConnectionId,
            gitlabJobId: job.jobId,
            gitlabStatus: job.status,
            source: "gitlab",
          },
        });
        created++;
      } catch (error) {
        // Another pass or the recorder got there first: the job is recorded once, which is the point.
        if ((error as { code?: string }).code !== "P2002") throw error;
      }
    }
  }
  return created;
}

function parseSettings(text: string) {
  let settings: {
    cluster?: { namespace?: string };
    gitlab?: { runnerName?: string };
    jobPods?: {
      build?: Record<string, string>;
      helper?: Record<string, string>;
      backend?: string;
      computeClass?: string;
      qos?: string;
    };
  } = {};
  try {
    settings = JSON.parse(text);
  } catch {
    // A profile with unreadable settings: defaults below.
  }
  return {
    namespace: settings.cluster?.namespace ?? "gitlab-runner",
    runnerName: settings.gitlab?.runnerName ?? null,
    resources: { build: settings.jobPods?.build ?? {}, helper: settings.jobPods?.helper ?? {} },
    placementLabels: jobPodPlacementLabels(settings.jobPods ?? {}),
  };
}

/** ACS's labels when the profile's job pods run on ACS (lib/manifests/placement), none for ECI. */
function jobPodPlacementLabels(jobPods: { backend?: string; computeClass?: string; qos?: string }) {
  if (jobPods.backend !== "acs") return {};
  return acsPodLabels(
    isAcsComputeClass(jobPods.computeClass) ? jobPods.computeClass : "general-purpose",
    isAcsQos(jobPods.qos) ? jobPods.qos : "default",
  );
}
