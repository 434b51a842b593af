import type { PodSummary } from "./pod-summary";

export type StuckKind = "pendingTooLong" | "imagePull" | "crashLoop" | "oomKilled" | "overdue" | "vanished";

export interface StuckRules {
  /** A pod Pending longer than this is flagged (ECI cold starts with image pulls take minutes). */
  pendingThresholdMs: number;
}

export const DEFAULT_STUCK_RULES: StuckRules = { pendingThresholdMs: 5 * 60_000 };

/**
 * How long past its job's timeout a job pod may still run before it is an orphan. The runner's own
 * timeout starts when it takes the job, before the pod starts, and it then deletes the pod (which
 * shows as deleting), so only its status poll and the API call separate the two.
 */
export const OVERDUE_MARGIN_MS = 60_000;

const IMAGE_PULL_REASONS = new Set(["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"]);

/**
 * Why a row needs attention, or null. The waiting/terminated reason wins over the time rule:
 * "ImagePullBackOff" says more than "Pending for 6 minutes".
 */
export function stuckState(
  pod: Pick<PodSummary, "phase" | "reason" | "createdAt"> &
    Partial<Pick<PodSummary, "startedAt" | "deletingAt" | "jobTimeoutSeconds">>,
  now: number,
  rules: StuckRules = DEFAULT_STUCK_RULES,
): StuckKind | null {
  if (pod.phase === "Vanished") return "vanished";
  if (pod.reason && IMAGE_PULL_REASONS.has(pod.reason)) return "imagePull";
  if (pod.reason === "CrashLoopBackOff") return "crashLoop";
  if (pod.reason === "OOMKilled") return "oomKilled";
  if (pod.phase === "Pending" && pod.createdAt !== null && now - pod.createdAt > rules.pendingThresholdMs)
    return "pendingTooLong";
  if (isOverdue(pod, now)) return "overdue";
  return null;
}

/**
 * A job pod still Running, not being deleted, past its job's timeout: the runner that would have
 * deleted it is gone (killed, OOM, its node lost), and only activeDeadlineSeconds — if the platform
 * enforces it, which ECI does not document — would end it (docs/runner-lifecycle.md).
 */
function isOverdue(
  pod: Partial<Pick<PodSummary, "phase" | "startedAt" | "deletingAt" | "jobTimeoutSeconds">>,
  now: number,
) {
  if (pod.phase !== "Running" || pod.deletingAt != null) return false;
  if (pod.startedAt == null || pod.jobTimeoutSeconds == null) return false;
  return now - pod.startedAt > pod.jobTimeoutSeconds * 1000 + OVERDUE_MARGIN_MS;
}
