import { ApiError } from "../errors";
import type { Clock, ClusterStore, KubeObject } from "../types";
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
  // Expiries in creation order (the TTL is fixed), swept by one timer: at 500 events/s a timer
  // per event would mean millions of pending timers.
  private expiries: Array<{ at: number; namespace: string; name: string; key?: string }> = [];
  private expiryHead = 0;
  private cancelSweep?: () => void;

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
      // client-go's broadcaster drops an event the server refuses for a terminating namespace
      // ("Server rejected event (will not retry!)"); so do we.
      if (error instanceof ApiError && error.code === 403) return;
      throw error;
    }
    this.recent.set(key, { namespace, name });
    this.expireAt(this.clock.now() + this.ttlMs, namespace, name, key);
  }

  /** Events already in the store (e.g. restored state) expire a TTL after they were last seen. */
  start(): void {
    const existing = this.store
      .list(EVENT)
      .map((event) => ({
        event,
        at: Date.parse(String(event.lastTimestamp ?? event.metadata.creationTimestamp ?? "")) + this.ttlMs,
      }))
      .filter(({ at }) => !Number.isNaN(at))
      .sort((a, b) => a.at - b.at);
    for (const { event, at } of existing) this.expireAt(at, event.metadata.namespace ?? "default", event.metadata.name);
  }

  stop(): void {
    this.cancelSweep?.();
    this.cancelSweep = undefined;
    this.expiries = [];
    this.expiryHead = 0;
  }

  private expireAt(at: number, namespace: string, name: string, key?: string): void {
    this.expiries.push({ at, namespace, name, key });
    if (!this.cancelSweep) this.scheduleSweep();
  }

  private scheduleSweep(): void {
    const next = this.expiries[this.expiryHead];
    if (!next) {
      this.expiries = [];
      this.expiryHead = 0;
      return;
    }
    this.cancelSweep = this.clock.setTimeout(
      () => {
        this.cancelSweep = undefined;
        this.sweep();
      },
      Math.max(0, next.at - this.clock.now()),
    );
  }

  private sweep(): void {
    const now = this.clock.now();
    while (this.expiryHead < this.expiries.length && this.expiries[this.expiryHead].at <= now) {
      const { namespace, name, key } = this.expiries[this.expiryHead++];
      if (key && this.recent.get(key)?.name === name) this.recent.delete(key);
      deleteQuietly(this.store, EVENT, namespace, name);
    }
    if (this.expiryHead > 1024 && this.expiryHead * 2 > this.expiries.length) {
      this.expiries = this.expiries.slice(this.expiryHead);
      this.expiryHead = 0;
    }
    this.scheduleSweep();
  }

  // kubelet names events "<object>.<unix nanos in hex>"; a sequence keeps same-millisecond names apart.
  private eventName(objectName: string): string {
    const nanos = BigInt(this.clock.now()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    return `${objectName}.${nanos.toString(16)}`;
  }
}
