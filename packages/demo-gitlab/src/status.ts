import type { JobStatus, PipelineStatus } from "./model";

/**
 * GitLab's composite status (lib/gitlab/ci/status/composite.rb): the status of a stage, a pipeline
 * or a job's prerequisites from its jobs' statuses. Failed or canceled jobs that may fail count as
 * "success with warnings"; manual jobs that may fail are "ignored" (Ci::HasStatus).
 */
export function compositeStatus(
  jobs: readonly { status: JobStatus; allowFailure: boolean }[],
  dag = false,
): PipelineStatus | null {
  if (jobs.length === 0) return null;
  const set = new Set<string>();
  for (const job of jobs) {
    if (job.allowFailure && (job.status === "failed" || job.status === "canceled")) set.add("success_with_warnings");
    else if (job.allowFailure && job.status === "manual") set.add("ignored");
    else set.add(job.status === "canceling" ? "running" : job.status);
  }
  const only = (...names: string[]) => {
    const matching = names.filter((n) => set.has(n)).length;
    return matching > 0 && matching === set.size;
  };
  const any = (...names: string[]) => names.some((n) => set.has(n));

  if (dag && any("skipped", "ignored")) return "skipped";
  if (dag && !only("success", "failed", "canceled", "skipped", "success_with_warnings")) return "pending";
  if (only("skipped", "ignored")) return "skipped";
  if (only("success", "skipped", "success_with_warnings", "ignored")) return "success";
  if (only("created", "success_with_warnings", "ignored")) return "created";
  if (only("preparing", "success_with_warnings", "ignored")) return "preparing";
  if (only("canceled", "success", "skipped", "success_with_warnings", "ignored")) return "canceled";
  if (only("pending", "created", "skipped", "success_with_warnings", "ignored")) return "pending";
  if (any("running", "pending")) return "running";
  if (any("waiting_for_resource")) return "waiting_for_resource";
  if (any("manual")) return "manual";
  if (any("scheduled")) return "scheduled";
  if (any("preparing")) return "preparing";
  if (any("created")) return "running";
  return "failed";
}

export const COMPLETED: readonly JobStatus[] = ["success", "failed", "canceled", "skipped"];
/** Ci::HasStatus::CANCELABLE_STATUSES. */
export const CANCELABLE: readonly JobStatus[] = [
  "running",
  "waiting_for_resource",
  "preparing",
  "pending",
  "created",
  "scheduled",
];

export const isCompleted = (status: JobStatus) => COMPLETED.includes(status);

/** Which prerequisite statuses let a job run, by its `when` (Ci::ProcessBuildService). */
export function runsAfter(when: string, dag: boolean, prerequisites: PipelineStatus): boolean {
  switch (when) {
    case "on_success":
    case "manual":
      return dag ? prerequisites === "success" : prerequisites === "success" || prerequisites === "skipped";
    case "on_failure":
      return prerequisites === "failed";
    case "always":
      return ["success", "failed", "skipped"].includes(prerequisites);
    default:
      return false;
  }
}
