import type { Pod } from "@/lib/kube/pod";

/**
 * How a CI job pod ended, read from the pod alone, on GitLab Runner's real lifecycle: the
 * Kubernetes executor keeps build and helper running (scripts arrive over attach) and deletes the
 * pod, still Running, when the job ends — whatever the job's result (executors/kubernetes
 * Cleanup: Background propagation, cleanup_grace_period_seconds). So a deleted job pod is a
 * finished job, and its phase says nothing about the result; that comes from GitLab.
 * "Vanished" is kept for what the runner does not do: eviction, the ECI instance gone, a spot
 * reclaim, activeDeadlineSeconds (DeadlineExceeded), the OOM killer.
 *
 * One pure function for every caller: the job recorder, the live monitor, and recovery after an
 * outage (which sees a pod's last state and whether it is gone).
 */

/** The job's result as GitLab reports it; "unknown" until a GitLab link supplies it. */
export type JobOutcome = "unknown" | "success" | "failed" | "canceled";

export type VanishCause = "evicted" | "instanceGone" | "spotReclaimed" | "deadlineExceeded" | "oomKilled";

export type JobPodEnd =
  | {
      kind: "finished";
      outcome: JobOutcome;
      /** When billing stopped: the containers' last finish, else the end of the deletion's grace period. */
      endedAt: Date;
      /** Whether the build container ever ran; false when the runner gave up on a pod that never started. */
      ran: boolean;
      /** For a pod that never ran, what held it (ImagePullBackOff…). */
      reason: string | null;
    }
  | { kind: "vanished"; cause: VanishCause; endedAt: Date; reason: string };

export interface JobPodObservation {
  /** The pod as last seen. */
  pod: Pod;
  /** Seen deleted (a watch DELETED event, or missing from a relist). */
  gone: boolean;
  /** When it was seen in this state (or seen gone). */
  seenAt: Date;
  /** A SpotToBeReleased event was seen for this pod (optional: the pod's own reason usually tells). */
  spotNotice?: boolean;
}

export const JOB_POD_LABEL = "job.runner.gitlab.com/pod";

/** The reason recorded for each cause (JobRecord.reason), as ECI or Kubernetes name it. */
export const VANISH_REASONS: Record<VanishCause, string> = {
  evicted: "Evicted",
  instanceGone: "InstanceGone",
  spotReclaimed: "SpotReclaimed",
  deadlineExceeded: "DeadlineExceeded",
  oomKilled: "OOMKilled",
};

// Pod-level reasons the platform writes when it ends a pod (Kubernetes, virtual-kubelet, ECI/ACK).
const POD_REASON_CAUSES: Record<string, VanishCause> = {
  Evicted: "evicted",
  Preempting: "evicted",
  Shutdown: "evicted",
  Terminated: "evicted",
  DeadlineExceeded: "deadlineExceeded",
  BidFailed: "spotReclaimed",
  Expired: "spotReclaimed",
  NotFound: "instanceGone",
  ProviderFailed: "instanceGone",
  NodeLost: "instanceGone",
  UnexpectedAdmissionError: "instanceGone",
};

function parseTime(value: string | Date | undefined): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}

function vanishCause(observation: JobPodObservation): { cause: VanishCause; reason: string } | null {
  const { pod } = observation;
  const status = pod.status ?? {};
  const podReason = status.reason ?? "";
  const fromReason = POD_REASON_CAUSES[podReason];
  if (fromReason) return { cause: fromReason, reason: podReason };
  // The eviction API and the taint manager mark the pod before deleting it.
  const disruption = status.conditions?.find((c) => c.type === "DisruptionTarget" && c.status === "True");
  if (disruption) return { cause: "evicted", reason: disruption.reason ?? "DisruptionTarget" };
  const statuses = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])];
  if (
    statuses.some((c) => c.state?.terminated?.reason === "OOMKilled" || c.lastState?.terminated?.reason === "OOMKilled")
  )
    return { cause: "oomKilled", reason: "OOMKilled" };
  // A spot notice explains a pod that ended without being deleted; one the runner deleted had finished first.
  const terminal = status.phase === "Succeeded" || status.phase === "Failed";
  if (observation.spotNotice && terminal && !pod.metadata?.deletionTimestamp)
    return { cause: "spotReclaimed", reason: "SpotToBeReleased" };
  return null;
}

/** When billing stopped: the last container's finish when the kubelet reported it, else the deletion deadline or when seen gone. */
function endOf(observation: JobPodObservation): Date {
  const { pod, seenAt } = observation;
  const status = pod.status ?? {};
  const finishes = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])]
    .map((c) => parseTime(c.state?.terminated?.finishedAt))
    .filter((t): t is number => t !== null);
  const terminal = status.phase === "Succeeded" || status.phase === "Failed";
  if (terminal && finishes.length) return new Date(Math.max(...finishes));
  // deletionTimestamp is when the grace period ends: every container is stopped by then.
  const deadline = parseTime(pod.metadata?.deletionTimestamp);
  const start = parseTime(status.startTime) ?? parseTime(pod.metadata?.creationTimestamp) ?? seenAt.getTime();
  const at = deadline === null ? seenAt.getTime() : Math.min(deadline, seenAt.getTime());
  return new Date(Math.max(at, start));
}

function buildRan(pod: Pod): boolean {
  const build = pod.status?.containerStatuses?.find((c) => c.name === "build");
  if (build) return Boolean(build.state?.running || build.state?.terminated || build.lastState?.terminated);
  return pod.status?.phase === "Running";
}

function waitingReason(pod: Pod): string | null {
  for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const reason = status.state?.waiting?.reason;
    if (reason && reason !== "PodInitializing" && reason !== "ContainerCreating") return reason;
  }
  return null;
}

/**
 * The end of a job pod, or null while it has not ended (not a job pod, still running, or being
 * deleted with containers still running: it is billed until they stop).
 */
export function classifyJobPodEnd(observation: JobPodObservation): JobPodEnd | null {
  const { pod, gone } = observation;
  if (pod.metadata?.labels?.[JOB_POD_LABEL] === undefined) return null;
  const terminal = pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
  // Still running, or being deleted with containers running: billed until they stop.
  if (!terminal && !gone) return null;
  const vanished = vanishCause(observation);
  if (vanished) return { kind: "vanished", ...vanished, endedAt: endOf(observation) };
  const ran = buildRan(pod);
  return {
    kind: "finished",
    outcome: "unknown",
    endedAt: endOf(observation),
    ran,
    reason: ran ? null : waitingReason(pod),
  };
}
