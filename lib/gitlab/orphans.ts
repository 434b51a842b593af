import { ACTIVE_STATUSES, isFinishedStatus } from "./job-status";

/**
 * Orphans both ways, pure. The inputs are what the dashboard sees now: GitLab's jobs on our runners
 * (webhooks, polling) and the live job pods (the monitor's watch).
 */

export interface OrphanJobInput {
  jobId: number;
  status: string;
  runnerId: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface LivePod {
  uid: string;
  namespace: string;
  name: string;
  connectionId: string;
  jobId: number;
  /** Pending or Running, and not being deleted: still billing. */
  alive: boolean;
  createdAt: Date | null;
}

/**
 * The runner needs some seconds between taking a job (GitLab: running) and creating its pod, and
 * between a job's end and deleting the pod (Cleanup). Within these windows nothing is an orphan.
 */
export const ORPHAN_GRACE_MS = { podCreation: 120_000, podCleanup: 120_000 };

export interface JobWithoutPod {
  kind: "jobWithoutPod";
  jobId: number;
  runnerId: number | null;
  runningForMs: number;
}

export interface PodWithoutJob {
  kind: "podWithoutJob";
  jobId: number;
  jobStatus: string;
  pod: LivePod;
  finishedForMs: number;
}

/**
 * A GitLab job running on one of our runners with no pod for it: the runner lost it (its pod was
 * deleted or never created, or the runner restarted), and GitLab will only notice at the job timeout.
 * `ourRunners` limits this to runners whose pods this dashboard watches.
 */
export function jobsWithoutPods(
  jobs: OrphanJobInput[],
  pods: Array<Pick<LivePod, "jobId">>,
  ourRunners: Set<number>,
  now: Date,
  graceMs = ORPHAN_GRACE_MS.podCreation,
): JobWithoutPod[] {
  const podJobs = new Set(pods.map((pod) => pod.jobId));
  return jobs
    .filter((job) => ACTIVE_STATUSES.has(job.status) && job.runnerId !== null && ourRunners.has(job.runnerId))
    .filter((job) => !podJobs.has(job.jobId))
    .filter((job) => job.startedAt !== null && now.getTime() - job.startedAt.getTime() > graceMs)
    .map((job) => ({
      kind: "jobWithoutPod",
      jobId: job.jobId,
      runnerId: job.runnerId,
      runningForMs: now.getTime() - job.startedAt!.getTime(),
    }));
}

/**
 * A pod still alive (and billing) whose GitLab job has already finished or was canceled: the runner
 * did not clean it up. The dashboard offers to delete it. A pod whose job is unknown to us is not
 * flagged: absence of knowledge is not evidence.
 */
export function podsWithoutJobs(
  pods: LivePod[],
  jobs: Map<number, OrphanJobInput>,
  now: Date,
  graceMs = ORPHAN_GRACE_MS.podCleanup,
): PodWithoutJob[] {
  const orphans: PodWithoutJob[] = [];
  for (const pod of pods) {
    if (!pod.alive) continue;
    const job = jobs.get(pod.jobId);
    if (!job || !isFinishedStatus(job.status)) continue;
    // A job canceled before it started has no finished_at in some GitLab versions: count from now's view.
    const endedAt = job.finishedAt ?? job.startedAt;
    const finishedForMs = endedAt ? now.getTime() - endedAt.getTime() : Number.POSITIVE_INFINITY;
    if (finishedForMs <= graceMs) continue;
    orphans.push({ kind: "podWithoutJob", jobId: job.jobId, jobStatus: job.status, pod, finishedForMs });
  }
  return orphans;
}
