import type { Clock, ClusterStore, KubeObject } from "@/lib/demo-cluster/types";
import { EVENT } from "./kinds";
import { k8sTime } from "./time";
import { deleteQuietly, isConflictOrExists, mutate } from "./store-writes";

export interface EventSpec {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  /** source.component, e.g. "kubelet", "default-scheduler". */
  component: string;
  host?: string;
  /** e.g. "spec.containers{build}" */
  fieldPath?: string;
}

const ONE_HOUR_MS = 60 * 60 * 1000;

/**
 * Writes core/v1 Events the way client-go's recorder does: a repeat of the same
 * (object, field, reason, message) bumps count and lastTimestamp instead of adding a new Event,
 * and Events expire after a TTL like kube-apiserver's default --event-ttl of 1h.
 */
export class EventRecorder {
  private readonly recent = new Map<string, { namespace: string; name: string }>();
  private sequence = 0;
  private readonly cancels = new Set<() => void>();

  constructor(
    private readonly store: ClusterStore,
    private readonly clock: Clock,
    private readonly ttlMs: number = ONE_HOUR_MS,
  ) {}

  record(involved: KubeObject, spec: EventSpec): void {
    const namespace = involved.metadata.namespace || "default";
    const key = [involved.metadata.uid, spec.fieldPath ?? "", spec.reason, spec.message, spec.type].join("\u0000");
    const nowIso = k8sTime(this.clock.now());
    const previous = this.recent.get(key);
    if (previous) {
      const updated = mutate(this.store, EVENT, previous.namespace, previous.name, (event) => {
        event.count = ((event.count as number | undefined) ?? 1) + 1;
        event.lastTimestamp = nowIso;
      });
      if (updated) return;
      this.recent.delete(key);
    }
    const name = this.eventName(involved.metadata.name);
    const event: KubeObject = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
        ...(spec.fieldPath ? { fieldPath: spec.fieldPath } : {}),
      },
      reason: spec.reason,
      message: spec.message,
      source: { component: spec.component, ...(spec.host ? { host: spec.host } : {}) },
      firstTimestamp: nowIso,
      lastTimestamp: nowIso,
      count: 1,
      type: spec.type,
      eventTime: null,
      reportingComponent: spec.component,
      reportingInstance: spec.host ?? "",
    };
    try {
      this.store.create(event);
    } catch (error) {
      if (isConflictOrExists(error)) return;
      throw error;
    }
    this.recent.set(key, { namespace, name });
    const cancel = this.clock.setTimeout(() => {
      this.cancels.delete(cancel);
      this.recent.delete(key);
      deleteQuietly(this.store, EVENT, namespace, name);
    }, this.ttlMs);
    this.cancels.add(cancel);
  }

  stop(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels.clear();
  }

  // kubelet names events "<object>.<unix nanos in hex>"; a sequence keeps same-millisecond names apart.
  private eventName(objectName: string): string {
    const nanos = BigInt(this.clock.now()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    return `${objectName}.${nanos.toString(16)}`;
  }
}
