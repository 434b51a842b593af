/**
 * GitLab job and pipeline statuses (docs: api/jobs.md; app/models/concerns/ci/has_status.rb):
 * created, waiting_for_resource, preparing, pending, running, success, failed, canceling, canceled,
 * skipped, manual, scheduled.
 */
export const FINISHED_STATUSES = new Set(["success", "failed", "canceled", "skipped"]);
export const ACTIVE_STATUSES = new Set(["running", "canceling"]);
export const WAITING_STATUSES = new Set([
  "created",
  "waiting_for_resource",
  "preparing",
  "pending",
  "scheduled",
  "manual",
]);

export const isFinishedStatus = (status: string): boolean => FINISHED_STATUSES.has(status);

/** The History phase a GitLab result stands for (History keeps the pod's phase; this is GitLab's word). */
export function resultOfStatus(status: string): "Succeeded" | "Failed" | "Canceled" | "Skipped" | null {
  if (status === "success") return "Succeeded";
  if (status === "failed") return "Failed";
  if (status === "canceled") return "Canceled";
  if (status === "skipped") return "Skipped";
  return null;
}
