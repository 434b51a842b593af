/**
 * Where a job's time before its script went, pure:
 * - waiting for the runner: GitLab created the job → a runner took it (GitLab's `queued_duration`,
 *   else started_at − created_at);
 * - runner preparing: the runner took it → its pod exists (the runner's API calls, Secrets);
 * - pod starting on ECI: the pod exists → its containers run (ECI scheduling, cold start, image pull).
 * Each part is null when one of its ends is unknown (a backfilled job has no pod times).
 */
export interface QueueSplit {
  waitingForRunnerMs: number | null;
  runnerPreparingMs: number | null;
  podStartingMs: number | null;
}

export function queueSplit(
  job: { createdAt: Date | null; startedAt: Date | null; queuedSeconds: number | null },
  pod: { createdAt: Date | null; startedAt: Date | null } | null,
): QueueSplit {
  const diff = (from: Date | null | undefined, to: Date | null | undefined) =>
    from && to ? Math.max(0, to.getTime() - from.getTime()) : null;
  return {
    waitingForRunnerMs:
      job.queuedSeconds !== null ? Math.round(job.queuedSeconds * 1000) : diff(job.createdAt, job.startedAt),
    runnerPreparingMs: diff(job.startedAt, pod?.createdAt),
    podStartingMs: diff(pod?.createdAt, pod?.startedAt),
  };
}
