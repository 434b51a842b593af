import type { PodSummary } from "./pod-summary";

export type StuckKind = "pendingTooLong" | "imagePull" | "crashLoop" | "oomKilled" | "vanished";

export interface StuckRules {
  /** A pod Pending longer than this is flagged (ECI cold starts with image pulls take minutes). */
  pendingThresholdMs: number;
}

export const DEFAULT_STUCK_RULES: StuckRules = { pendingThresholdMs: 5 * 60_000 };

const IMAGE_PULL_REASONS = new Set(["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"]);

/**
 * Why a row needs attention, or null. The waiting/terminated reason wins over the time rule:
 * "ImagePullBackOff" says more than "Pending for 6 minutes".
 */
export function stuckState(
  pod: Pick<PodSummary, "phase" | "reason" | "createdAt">,
  now: number,
  rules: StuckRules = DEFAULT_STUCK_RULES,
): StuckKind | null {
  if (pod.phase === "Vanished") return "vanished";
  if (pod.reason && IMAGE_PULL_REASONS.has(pod.reason)) return "imagePull";
  if (pod.reason === "CrashLoopBackOff") return "crashLoop";
  if (pod.reason === "OOMKilled") return "oomKilled";
  if (pod.phase === "Pending" && pod.createdAt !== null && now - pod.createdAt > rules.pendingThresholdMs)
    return "pendingTooLong";
  return null;
}
