import "server-only";
import { AppsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IReplicaSet } from "kubernetes-models/apps/v1/ReplicaSet";
import type { IEvent } from "kubernetes-models/v1/Event";
import type { Pod } from "@/lib/kube/pod";
import { toApiJson } from "./kube-source.server";
import { toPodDetail } from "./pod-detail";
import { involvedObjectSelector, mergeRunnerEvents, ownedBy, type RunnerActivity } from "./runner-events";

/** Old ReplicaSets are kept (revisionHistoryLimit, 10 by default): the newest few are enough to read. */
const MAX_REPLICA_SETS = 5;
const MAX_PODS = 10;

function selectorString(deployment: IDeployment): string {
  return Object.entries(deployment.spec?.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

const newestFirst = (
  a: { metadata?: { creationTimestamp?: string } },
  b: { metadata?: { creationTimestamp?: string } },
) => (b.metadata?.creationTimestamp ?? "").localeCompare(a.metadata?.creationTimestamp ?? "");

/**
 * A runner Deployment's pods (for their logs) and the events about it, its ReplicaSets and their
 * pods, read with the connection's credentials (`config`): one events list per object, by
 * involvedObject, as `kubectl describe` does. Throws the API's error (404 when the Deployment does not exist).
 */
export async function loadRunnerActivity(config: KubeConfig, namespace: string, name: string): Promise<RunnerActivity> {
  const apps = config.makeApiClient(AppsV1Api);
  const core = config.makeApiClient(CoreV1Api);
  const deployment = toApiJson<IDeployment>(await apps.readNamespacedDeployment({ namespace, name }));
  const labelSelector = selectorString(deployment);
  const replicaSets = labelSelector
    ? ownedBy(
        toApiJson<IReplicaSet[]>((await apps.listNamespacedReplicaSet({ namespace, labelSelector })).items),
        deployment.metadata?.uid,
      )
        .sort(newestFirst)
        .slice(0, MAX_REPLICA_SETS)
    : [];
  const allPods = labelSelector
    ? toApiJson<Pod[]>((await core.listNamespacedPod({ namespace, labelSelector })).items)
    : [];
  const pods = replicaSets
    .flatMap((rs) => ownedBy(allPods, rs.metadata?.uid))
    .sort(newestFirst)
    .slice(0, MAX_PODS);

  const objects = [
    { kind: "Deployment", name },
    ...replicaSets.map((rs) => ({ kind: "ReplicaSet", name: rs.metadata?.name ?? "" })),
    ...pods.map((pod) => ({ kind: "Pod", name: pod.metadata?.name ?? "" })),
  ];
  const perObject = await Promise.all(
    objects.map(async (object) => ({
      ...object,
      events: toApiJson<IEvent[]>(
        (await core.listNamespacedEvent({ namespace, fieldSelector: involvedObjectSelector(object.kind, object.name) }))
          .items,
      ),
    })),
  );
  return {
    pods: pods.map((pod) => {
      const detail = toPodDetail(pod);
      return {
        name: detail.name,
        phase: detail.phase,
        containers: detail.containers
          .filter((c) => c.role !== "init")
          .map((c) => ({ name: c.name, hasPrevious: c.hasPrevious })),
      };
    }),
    events: mergeRunnerEvents(perObject),
  };
}
