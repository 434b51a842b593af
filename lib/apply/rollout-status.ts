import { selectorLabels } from "@/lib/manifests/labels";
import { objectNames } from "@/lib/manifests/names";
import type { RunnerSettings } from "@/lib/runner-settings/schema";
import type { RolloutStatus, RunnerPodStatus } from "./types";

interface DeploymentLike {
  metadata?: { generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
  };
}

interface PodLike {
  metadata?: { name?: string; deletionTimestamp?: unknown };
  status?: {
    phase?: string;
    conditions?: Array<{ type?: string; status?: string }>;
    containerStatuses?: Array<{
      ready?: boolean;
      state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
    }>;
  };
}

export function runnerPodStatus(pod: PodLike): RunnerPodStatus {
  const ready = pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
  const stuck = pod.status?.containerStatuses
    ?.map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason)
    .find(Boolean);
  const status: RunnerPodStatus = {
    name: pod.metadata?.name ?? "",
    phase: pod.metadata?.deletionTimestamp ? "Terminating" : (pod.status?.phase ?? "Pending"),
    ready,
  };
  if (stuck) status.reason = stuck;
  return status;
}

/**
 * Whether the new runner is up: the controller has seen the latest spec and every desired
 * replica is updated and available (the same test as `kubectl rollout status`).
 */
export function rolloutStatus(deployment: DeploymentLike | undefined, pods: PodLike[]): RolloutStatus {
  const podStatuses = pods.map(runnerPodStatus);
  if (!deployment) return { available: false, message: "Deployment not found", pods: podStatuses, missing: true };
  const desired = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const observed = (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const done = observed && updated >= desired && available >= desired && (status.replicas ?? 0) <= desired;
  if (done) return { available: true, message: `${available}/${desired} available`, pods: podStatuses };
  const waiting = podStatuses.find((p) => !p.ready);
  const detail = waiting ? `; ${waiting.name} is ${waiting.reason ?? waiting.phase}` : "";
  return {
    available: false,
    message: `${available}/${desired} available, ${updated}/${desired} updated${detail}`,
    pods: podStatuses,
  };
}

/** Where a runner instance's rollout is read: its Deployment and the label selector of its pods. */
export function runnerRolloutTarget(settings: RunnerSettings): {
  namespace: string;
  deployment: string;
  selector: string;
} {
  const names = objectNames(settings);
  return {
    namespace: names.namespace,
    deployment: names.deployment,
    selector: Object.entries(selectorLabels(settings))
      .map(([k, v]) => `${k}=${v}`)
      .join(","),
  };
}
