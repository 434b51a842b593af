import { isActivePhase, type SummaryPhase } from "./pod-summary";

/**
 * Warnings the platform sends about a pod that is still running, before it ends it: ECI's
 * `SpotToBeReleased` (about 3 minutes before a spot instance is reclaimed) and ACS's notice before a
 * best-effort pod is evicted. They are Kubernetes events, not pod fields, so the live table reads
 * them beside the pod stream. A notice is a heads-up on a live row, never an end: the pod may still
 * finish its job first (the runner then deletes it, a Finished job), and only the reclaim itself
 * (`BidFailed`, eviction) makes it Vanished (lib/job-history/lifecycle.ts).
 */

/** Event reasons that announce the end of a running pod, and what the row calls them. */
export const NOTICE_REASONS = {
  SpotToBeReleased: "spotToBeReleased",
  // ACS documents a notice before best-effort evictions, not its reason string: the demo's assumption.
  BestEffortPodToBeEvicted: "bestEffortToBeEvicted",
} as const;

export type NoticeKind = (typeof NOTICE_REASONS)[keyof typeof NOTICE_REASONS];

export interface PodNotice {
  kind: NoticeKind;
  namespace: string;
  podName: string;
  /** The pod's uid when the event names it: a recreated pod of the same name is not warned. */
  podUid: string | null;
  message: string;
  /** When the warning was last sent (ISO), or null. */
  at: string | null;
}

interface EventLike {
  type?: unknown;
  reason?: unknown;
  message?: unknown;
  lastTimestamp?: unknown;
  eventTime?: unknown;
  firstTimestamp?: unknown;
  involvedObject?: { kind?: unknown; namespace?: unknown; name?: unknown; uid?: unknown };
}

const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);

/** The notices among a core/v1 EventList's items; anything else (other reasons, malformed items) is left out. */
export function noticesFromEvents(items: unknown): PodNotice[] {
  if (!Array.isArray(items)) return [];
  const notices: PodNotice[] = [];
  for (const item of items as EventLike[]) {
    if (item === null || typeof item !== "object" || item.type !== "Warning") continue;
    const reason = text(item.reason);
    const kind =
      reason && Object.hasOwn(NOTICE_REASONS, reason) ? NOTICE_REASONS[reason as keyof typeof NOTICE_REASONS] : null;
    const object = item.involvedObject;
    const namespace = text(object?.namespace);
    const podName = text(object?.name);
    if (!kind || object?.kind !== "Pod" || !namespace || !podName) continue;
    notices.push({
      kind,
      namespace,
      podName,
      podUid: text(object.uid),
      message: (text(item.message) ?? "").slice(0, 500),
      at: text(item.lastTimestamp) ?? text(item.eventTime) ?? text(item.firstTimestamp),
    });
  }
  return notices;
}

/**
 * The notice to show on a live row, or null: only while the pod is Pending or Running and not being
 * deleted (once it ends, its phase and reason tell what happened). The newest notice wins.
 */
export function noticeForPod(
  pod: { uid: string; name: string; namespace: string; phase: SummaryPhase; deletingAt: number | null },
  notices: readonly PodNotice[],
): PodNotice | null {
  if (!isActivePhase(pod.phase) || pod.deletingAt !== null) return null;
  let found: PodNotice | null = null;
  for (const notice of notices) {
    if (notice.namespace !== pod.namespace || notice.podName !== pod.name) continue;
    if (notice.podUid !== null && notice.podUid !== pod.uid) continue;
    if (!found || (notice.at ?? "") > (found.at ?? "")) found = notice;
  }
  return found;
}
