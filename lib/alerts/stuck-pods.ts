import { podScope, type AlertCondition } from "./conditions";

const IMAGE_PULL_REASONS = new Set(["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"]);

/** A job pod not yet ended, as the alert evaluation sees it (from the recorder's open job pods). */
export interface LiveJobPod {
  uid: string;
  namespace: string;
  name: string;
  /** Pod phase: "Pending", "Running", ... */
  phase: string;
  /** The waiting reason of a container, if any ("ImagePullBackOff"). */
  reason: string | null;
  /** Epoch ms the pod was created: ECI and ACS bill from about then (the image pull included). */
  createdAt: number | null;
  /** "¥0.42": the cost so far, for the message. */
  costSoFar: string;
  /** Set when GitLab says the pod's job ended while the pod still runs (lib/gitlab/orphans.ts). */
  orphanedJob: { jobId: number; status: string } | null;
}

export type StuckReason = "pending" | "image-pull" | "orphaned";

/** Why a pod counts as stuck, or null. An image pull failing says more than "Pending". */
export function stuckReason(pod: Pick<LiveJobPod, "phase" | "reason" | "orphanedJob">): StuckReason | null {
  if (pod.reason && IMAGE_PULL_REASONS.has(pod.reason)) return "image-pull";
  if (pod.orphanedJob) return "orphaned";
  if (pod.phase === "Pending") return "pending";
  return null;
}

function minutes(ms: number): string {
  return `${Math.floor(ms / 60_000)} min`;
}

/**
 * A stuck job pod that has been billing for longer than `thresholdMs`: one condition per pod
 * (keyed by its uid, so Pending turning into ImagePullBackOff is still the same alert).
 */
export function stuckPodConditions(
  connection: { id: string; name: string },
  pods: readonly LiveJobPod[],
  now: number,
  thresholdMs: number,
): AlertCondition[] {
  const conditions: AlertCondition[] = [];
  for (const pod of pods) {
    const reason = stuckReason(pod);
    if (!reason || pod.createdAt === null) continue;
    const billingMs = now - pod.createdAt;
    if (billingMs <= thresholdMs) continue;
    const why =
      reason === "image-pull"
        ? `its image cannot be pulled (${pod.reason})`
        : reason === "orphaned"
          ? `GitLab job ${pod.orphanedJob!.jobId} is ${pod.orphanedJob!.status} but the pod is still there`
          : "it is still Pending";
    conditions.push({
      key: `stuck-pod:${connection.id}:${pod.uid}`,
      scope: podScope(connection.id),
      kind: "stuck-pod",
      title: `Job pod stuck: ${pod.namespace}/${pod.name}`,
      message: [
        `On ${connection.name}, ${why}; billed for ${minutes(billingMs)} so far (${pod.costSoFar}).`,
        "Delete it from the monitor if it will not recover.",
      ].join("\n"),
      connectionName: connection.name,
    });
  }
  return conditions;
}
