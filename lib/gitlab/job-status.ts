/**
 * GitLab job and pipeline statuses (docs: api/jobs.md; app/models/concerns/ci/has_status.rb):
 * created, waiting_for_resource, preparing, pending, running, success, failed, canceling, canceled,
 * skipped, manual, scheduled.
 */
export const FINISHED_STATUSES = new Set(["success", "failed", "canceled", "skipped"]);
export const ACTIVE_STATUSES = new Set(["running", "canceling"]);

export const isFinishedStatus = (status: string): boolean => FINISHED_STATUSES.has(status);
