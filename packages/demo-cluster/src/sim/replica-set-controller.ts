import type { Clock, ClusterStore, KubeObject, StoreEvent } from "../types";
import type { EventRecorder } from "./event-recorder";
import { POD, REPLICA_SET, isKind, objectKey } from "./kinds";
import { OwnerIndex } from "./owner-index";
import type { SeededRandom } from "@ask-ci/seeded-random";
import { SAFE_ALPHABET, canonicalJson } from "./pod-template-hash";
import { deleteQuietly, isConflictOrExists, mutate } from "./store-writes";
import { WorkQueue } from "./work-queue";

const COMPONENT = "replicaset-controller";

interface ReplicaSetSpec {
  replicas?: number;
  template?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: Record<string, unknown>;
  };
}

function isPodReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions;
  return conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

function isPodActive(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return !pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed";
}

/** Which pods to remove first when scaling down: unscheduled, then pending, then unready, then newest. */
function deletionRank(pod: KubeObject): number {
  if (!(pod.spec as { nodeName?: string } | undefined)?.nodeName) return 0;
  if ((pod.status as { phase?: string } | undefined)?.phase !== "Running") return 1;
  return isPodReady(pod) ? 3 : 2;
}

/** apps/v1 ReplicaSet: keeps spec.replicas pods from its template alive and reports their readiness. */
export class ReplicaSetController {
  private readonly pods = new OwnerIndex();
  private readonly queue: WorkQueue;

  constructor(
    private readonly store: ClusterStore,
    clock: Clock,
    private readonly random: SeededRandom,
    private readonly events: EventRecorder,
    onError: (error: unknown) => void,
  ) {
    this.queue = new WorkQueue(clock, (key) => this.sync(key), onError);
  }

  start(): void {
    for (const pod of this.store.list(POD)) this.pods.apply("ADDED", pod);
    for (const replicaSet of this.store.list(REPLICA_SET)) this.queue.add(objectKey(replicaSet));
  }

  onEvent(event: StoreEvent): void {
    const object = event.object;
    if (isKind(object, POD)) {
      this.pods.apply(event.type, object);
      const owner = object.metadata.ownerReferences?.find((ref) => ref.controller && ref.kind === "ReplicaSet");
      if (owner) this.queue.add(`${object.metadata.namespace}/${owner.name}`);
    } else if (isKind(object, REPLICA_SET)) {
      this.queue.add(objectKey(object));
    }
  }

  stop(): void {
    this.queue.stop();
  }

  private sync(key: string): void {
    const [namespace, name] = key.split("/");
    const replicaSet = this.store.get(REPLICA_SET, namespace, name);
    if (!replicaSet || replicaSet.metadata.deletionTimestamp) return;
    const spec = (replicaSet.spec ?? {}) as ReplicaSetSpec;
    const desired = spec.replicas ?? 1;
    const active = this.pods.owned(replicaSet.metadata.uid).filter(isPodActive);
    const diff = desired - active.length;
    if (diff > 0) {
      for (let i = 0; i < diff; i++) this.createPod(replicaSet, spec);
    } else if (diff < 0) {
      const victims = [...active]
        .sort(
          (a, b) =>
            deletionRank(a) - deletionRank(b) ||
            (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? ""),
        )
        .slice(0, -diff);
      for (const pod of victims) {
        deleteQuietly(this.store, POD, namespace, pod.metadata.name);
        this.events.record(replicaSet, {
          type: "Normal",
          reason: "SuccessfulDelete",
          message: `Deleted pod: ${pod.metadata.name}`,
          component: COMPONENT,
        });
      }
    }
    this.writeStatus(replicaSet, active);
  }

  private createPod(replicaSet: KubeObject, spec: ReplicaSetSpec): void {
    const template = spec.template ?? {};
    for (let attempt = 0; attempt < 5; attempt++) {
      const name = `${replicaSet.metadata.name}-${this.random.string(5, SAFE_ALPHABET)}`;
      const pod: KubeObject = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name,
          generateName: `${replicaSet.metadata.name}-`,
          namespace: replicaSet.metadata.namespace,
          labels: { ...template.metadata?.labels },
          ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
          ownerReferences: [
            {
              apiVersion: "apps/v1",
              kind: "ReplicaSet",
              name: replicaSet.metadata.name,
              uid: replicaSet.metadata.uid ?? "",
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: structuredClone(template.spec ?? {}),
      };
      try {
        this.store.create(pod);
      } catch (error) {
        if (isConflictOrExists(error)) continue;
        throw error;
      }
      this.events.record(replicaSet, {
        type: "Normal",
        reason: "SuccessfulCreate",
        message: `Created pod: ${name}`,
        component: COMPONENT,
      });
      return;
    }
  }

  private writeStatus(replicaSet: KubeObject, active: KubeObject[]): void {
    const ready = active.filter(isPodReady).length;
    const status = {
      replicas: active.length,
      fullyLabeledReplicas: active.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: replicaSet.metadata.generation ?? 1,
    };
    if (canonicalJson(status) === canonicalJson(replicaSet.status ?? {})) return;
    mutate(
      this.store,
      REPLICA_SET,
      replicaSet.metadata.namespace,
      replicaSet.metadata.name,
      (rs) => {
        rs.status = status;
      },
      { status: true, uid: replicaSet.metadata.uid },
    );
  }
}
