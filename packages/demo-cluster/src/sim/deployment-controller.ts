import type { Clock, ClusterStore, KubeObject, StoreEvent } from "../types";
import type { EventRecorder } from "./event-recorder";
import { DEPLOYMENT, REPLICA_SET, isKind, objectKey } from "./kinds";
import { OwnerIndex } from "./owner-index";
import { canonicalJson, podTemplateHash } from "./pod-template-hash";
import { planRollingUpdate, resolveIntOrPercent } from "./rollout";
import { isConflictOrExists, mutate } from "./store-writes";
import { k8sTime } from "./time";
import { WorkQueue } from "./work-queue";

const COMPONENT = "deployment-controller";
const REVISION = "deployment.kubernetes.io/revision";
const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

interface DeploymentSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
}

interface ReplicaSetStatus {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
}

interface Condition {
  type: string;
  status: "True" | "False";
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

const specReplicas = (rs: KubeObject) => (rs.spec as { replicas?: number } | undefined)?.replicas ?? 0;
const rsStatus = (rs: KubeObject) => (rs.status ?? {}) as ReplicaSetStatus;

/** apps/v1 Deployment: one ReplicaSet per pod template (pod-template-hash), rolled over gradually. */
export class DeploymentController {
  private readonly replicaSets = new OwnerIndex();
  private readonly queue: WorkQueue;

  constructor(
    private readonly store: ClusterStore,
    private readonly clock: Clock,
    private readonly events: EventRecorder,
    onError: (error: unknown) => void,
  ) {
    this.queue = new WorkQueue(clock, (key) => this.sync(key), onError);
  }

  start(): void {
    for (const rs of this.store.list(REPLICA_SET)) this.replicaSets.apply("ADDED", rs);
    for (const deployment of this.store.list(DEPLOYMENT)) this.queue.add(objectKey(deployment));
  }

  onEvent(event: StoreEvent): void {
    const object = event.object;
    if (isKind(object, REPLICA_SET)) {
      this.replicaSets.apply(event.type, object);
      const owner = object.metadata.ownerReferences?.find((ref) => ref.controller && ref.kind === "Deployment");
      if (owner) this.queue.add(`${object.metadata.namespace}/${owner.name}`);
    } else if (isKind(object, DEPLOYMENT)) {
      this.queue.add(objectKey(object));
    }
  }

  stop(): void {
    this.queue.stop();
  }

  private sync(key: string): void {
    const [namespace, name] = key.split("/");
    const deployment = this.store.get(DEPLOYMENT, namespace, name);
    if (!deployment || deployment.metadata.deletionTimestamp) return;
    const spec = (deployment.spec ?? {}) as DeploymentSpec;
    const desired = spec.replicas ?? 1;
    const collisionCount = (deployment.status as { collisionCount?: number } | undefined)?.collisionCount ?? 0;
    const hash = podTemplateHash(spec.template ?? {}, collisionCount);
    const owned = this.replicaSets
      .owned(deployment.metadata.uid)
      .sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? ""));
    let current = owned.find((rs) => rs.metadata.labels?.["pod-template-hash"] === hash);
    const olds = owned.filter((rs) => rs !== current);
    const maxSurge = resolveIntOrPercent(spec.strategy?.rollingUpdate?.maxSurge, "25%", desired, true);
    const maxUnavailable = resolveIntOrPercent(spec.strategy?.rollingUpdate?.maxUnavailable, "25%", desired, false);

    let plan: { newReplicas: number; oldReplicas: number[] };
    if (spec.strategy?.type === "Recreate") {
      const oldPodsLeft = olds.some((rs) => specReplicas(rs) > 0 || (rsStatus(rs).replicas ?? 0) > 0);
      plan = { newReplicas: oldPodsLeft ? 0 : desired, oldReplicas: olds.map(() => 0) };
    } else {
      plan = planRollingUpdate(
        desired,
        maxSurge,
        maxUnavailable,
        {
          replicas: current ? specReplicas(current) : 0,
          available: current ? (rsStatus(current).availableReplicas ?? 0) : 0,
        },
        olds.map((rs) => ({ replicas: specReplicas(rs), available: rsStatus(rs).availableReplicas ?? 0 })),
      );
    }

    const maxRevision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
    if (!current) {
      current = this.createReplicaSet(deployment, spec, hash, plan.newReplicas, maxRevision + 1, desired + maxSurge);
      if (!current) return;
    } else {
      this.scale(deployment, current, plan.newReplicas, desired, desired + maxSurge);
    }
    olds.forEach((rs, i) => this.scale(deployment, rs, plan.oldReplicas[i], desired, desired + maxSurge));

    const revision = current.metadata.annotations?.[REVISION];
    if (revision && deployment.metadata.annotations?.[REVISION] !== revision) {
      mutate(
        this.store,
        DEPLOYMENT,
        namespace,
        name,
        (d) => {
          d.metadata.annotations = { ...d.metadata.annotations, [REVISION]: revision };
        },
        { uid: deployment.metadata.uid },
      );
    }
    this.writeStatus(deployment, current, [current, ...olds], desired, maxUnavailable);
  }

  private createReplicaSet(
    deployment: KubeObject,
    spec: DeploymentSpec,
    hash: string,
    replicas: number,
    revision: number,
    maxReplicas: number,
  ): KubeObject | undefined {
    const templateLabels = { ...spec.template?.metadata?.labels, "pod-template-hash": hash };
    const name = `${deployment.metadata.name}-${hash}`;
    const replicaSet: KubeObject = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name,
        namespace: deployment.metadata.namespace,
        labels: templateLabels,
        annotations: {
          [DESIRED_REPLICAS]: String(spec.replicas ?? 1),
          [MAX_REPLICAS]: String(maxReplicas),
          [REVISION]: String(revision),
        },
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: deployment.metadata.name,
            uid: deployment.metadata.uid ?? "",
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas,
        ...(spec.minReadySeconds ? { minReadySeconds: spec.minReadySeconds } : {}),
        selector: {
          ...spec.selector,
          matchLabels: { ...spec.selector?.matchLabels, "pod-template-hash": hash },
        },
        template: {
          ...spec.template,
          metadata: { ...spec.template?.metadata, labels: templateLabels },
        },
      },
    };
    let created: KubeObject;
    try {
      created = this.store.create(replicaSet);
    } catch (error) {
      if (!isConflictOrExists(error)) throw error;
      // Someone else's ReplicaSet has our name: bump collisionCount so the next hash differs.
      mutate(
        this.store,
        DEPLOYMENT,
        deployment.metadata.namespace,
        deployment.metadata.name,
        (d) => {
          const status = (d.status ?? {}) as { collisionCount?: number };
          d.status = { ...status, collisionCount: (status.collisionCount ?? 0) + 1 };
        },
        { status: true, uid: deployment.metadata.uid },
      );
      return undefined;
    }
    if (replicas > 0) this.recordScaling(deployment, created, 0, replicas);
    return created;
  }

  private scale(deployment: KubeObject, rs: KubeObject, replicas: number, desired: number, maxReplicas: number): void {
    const before = specReplicas(rs);
    const annotations = rs.metadata.annotations ?? {};
    if (
      before === replicas &&
      annotations[DESIRED_REPLICAS] === String(desired) &&
      annotations[MAX_REPLICAS] === String(maxReplicas)
    )
      return;
    const updated = mutate(
      this.store,
      REPLICA_SET,
      rs.metadata.namespace,
      rs.metadata.name,
      (object) => {
        (object.spec as Record<string, unknown>).replicas = replicas;
        object.metadata.annotations = {
          ...object.metadata.annotations,
          [DESIRED_REPLICAS]: String(desired),
          [MAX_REPLICAS]: String(maxReplicas),
        };
      },
      { uid: rs.metadata.uid },
    );
    if (updated && before !== replicas) this.recordScaling(deployment, updated, before, replicas);
  }

  private recordScaling(deployment: KubeObject, rs: KubeObject, from: number, to: number): void {
    this.events.record(deployment, {
      type: "Normal",
      reason: "ScalingReplicaSet",
      message: `Scaled ${to > from ? "up" : "down"} replica set ${rs.metadata.name} from ${from} to ${to}`,
      component: COMPONENT,
    });
  }

  private writeStatus(
    deployment: KubeObject,
    current: KubeObject,
    all: KubeObject[],
    desired: number,
    maxUnavailable: number,
  ): void {
    const sum = (field: keyof ReplicaSetStatus) => all.reduce((total, rs) => total + (rsStatus(rs)[field] ?? 0), 0);
    const replicas = sum("replicas");
    const available = sum("availableReplicas");
    const updated = rsStatus(current).replicas ?? 0;
    const previous = (deployment.status ?? {}) as { conditions?: Condition[]; collisionCount?: number };
    const now = k8sTime(this.clock.now());
    const condition = (type: string, ok: boolean, reason: string, message: string): Condition => {
      const before = previous.conditions?.find((c) => c.type === type);
      const status = ok ? "True" : "False";
      const unchanged = before && before.status === status && before.reason === reason && before.message === message;
      return {
        type,
        status,
        reason,
        message,
        lastUpdateTime: unchanged ? before.lastUpdateTime : now,
        lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now,
      };
    };
    const availableOk = available >= desired - maxUnavailable;
    const complete = updated === desired && replicas === desired && available === desired;
    const status: Record<string, unknown> = {
      observedGeneration: deployment.metadata.generation ?? 1,
      replicas,
      updatedReplicas: updated,
      readyReplicas: sum("readyReplicas"),
      availableReplicas: available,
      ...(desired - available > 0 ? { unavailableReplicas: desired - available } : {}),
      conditions: [
        availableOk
          ? condition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.")
          : condition(
              "Available",
              false,
              "MinimumReplicasUnavailable",
              "Deployment does not have minimum availability.",
            ),
        complete
          ? condition(
              "Progressing",
              true,
              "NewReplicaSetAvailable",
              `ReplicaSet "${current.metadata.name}" has successfully progressed.`,
            )
          : condition(
              "Progressing",
              true,
              "ReplicaSetUpdated",
              `ReplicaSet "${current.metadata.name}" is progressing.`,
            ),
      ],
      ...(previous.collisionCount ? { collisionCount: previous.collisionCount } : {}),
    };
    if (canonicalJson(status) === canonicalJson(deployment.status ?? {})) return;
    mutate(
      this.store,
      DEPLOYMENT,
      deployment.metadata.namespace,
      deployment.metadata.name,
      (d) => {
        d.status = status;
      },
      { status: true, uid: deployment.metadata.uid },
    );
  }
}
