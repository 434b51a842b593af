import type { ClusterStore, KindRef, KubeObject, ListOptions, StoreEvent } from "@/lib/demo-cluster/types";
import type { Clock } from "@/lib/demo-cluster/types";

export class FakeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const CLUSTER_SCOPED = new Set(["Namespace", "Node", "ImageCache", "PersistentVolume", "ClusterRole", "ClusterRoleBinding"]);

/**
 * A small in-memory ClusterStore for the simulation's tests: one resourceVersion counter,
 * synchronous subscribe events, generation bumps on spec changes, graceful pod deletion
 * (deletionTimestamp first, removal on gracePeriodSeconds 0) and ownerReference cascade.
 */
export class FakeStore implements ClusterStore {
  private readonly objects = new Map<string, KubeObject>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private resourceVersion = 0;
  private uidCounter = 0;
  private nameCounter = 0;

  constructor(private readonly clock: Clock) {}

  get(ref: KindRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const object = this.objects.get(this.key(ref, namespace, name));
    return object && structuredClone(object);
  }

  list(ref: KindRef, options: ListOptions = {}): KubeObject[] {
    const selector = parseEqualitySelector(options.labelSelector);
    return [...this.objects.values()]
      .filter((o) => o.kind === ref.kind && o.apiVersion === ref.apiVersion)
      .filter((o) => options.namespace === undefined || o.metadata.namespace === options.namespace)
      .filter((o) => selector.every(([k, v]) => o.metadata.labels?.[k] === v))
      .map((o) => structuredClone(o));
  }

  create(object: KubeObject): KubeObject {
    const copy = structuredClone(object);
    if (!copy.metadata.name && copy.metadata.generateName) {
      copy.metadata.name = `${copy.metadata.generateName}${(this.nameCounter++).toString(36).padStart(5, "x")}`;
    }
    if (CLUSTER_SCOPED.has(copy.kind)) delete copy.metadata.namespace;
    else copy.metadata.namespace ??= "default";
    const key = this.keyOf(copy);
    if (this.objects.has(key)) throw new FakeApiError(409, "AlreadyExists", `${copy.kind} "${copy.metadata.name}" already exists`);
    copy.metadata.uid = `uid-${++this.uidCounter}`;
    copy.metadata.creationTimestamp = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
    copy.metadata.generation = 1;
    copy.metadata.resourceVersion = String(++this.resourceVersion);
    this.objects.set(key, copy);
    this.emit("ADDED", copy);
    return structuredClone(copy);
  }

  update(object: KubeObject): KubeObject {
    return this.replace(object, false);
  }

  updateStatus(object: KubeObject): KubeObject {
    return this.replace(object, true);
  }

  delete(
    ref: KindRef,
    namespace: string | undefined,
    name: string,
    options: { gracePeriodSeconds?: number; propagationPolicy?: "Background" | "Foreground" | "Orphan" } = {},
  ): KubeObject | undefined {
    const key = this.key(ref, namespace, name);
    const existing = this.objects.get(key);
    if (!existing) throw new FakeApiError(404, "NotFound", `${ref.kind} "${name}" not found`);
    const scheduled = Boolean((existing.spec as { nodeName?: string } | undefined)?.nodeName);
    if (ref.kind === "Pod" && scheduled && options.gracePeriodSeconds !== 0) {
      if (existing.metadata.deletionTimestamp) return structuredClone(existing);
      const grace = options.gracePeriodSeconds ?? 30;
      const updated = structuredClone(existing);
      updated.metadata.deletionTimestamp = new Date(this.clock.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
      updated.metadata.deletionGracePeriodSeconds = grace;
      updated.metadata.resourceVersion = String(++this.resourceVersion);
      this.objects.set(key, updated);
      this.emit("MODIFIED", updated);
      return structuredClone(updated);
    }
    this.objects.delete(key);
    const removed = { ...structuredClone(existing), metadata: { ...existing.metadata, resourceVersion: String(++this.resourceVersion) } };
    this.emit("DELETED", removed);
    if (options.propagationPolicy !== "Orphan") this.deleteDependents(existing.metadata.uid);
    return removed;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every object, for assertions. */
  all(): KubeObject[] {
    return [...this.objects.values()].map((o) => structuredClone(o));
  }

  private deleteDependents(ownerUid: string | undefined): void {
    if (!ownerUid) return;
    for (const object of [...this.objects.values()]) {
      if (!object.metadata.ownerReferences?.some((ref) => ref.uid === ownerUid)) continue;
      if (!this.objects.has(this.keyOf(object))) continue;
      this.delete(object, object.metadata.namespace, object.metadata.name);
    }
  }

  private replace(object: KubeObject, statusOnly: boolean): KubeObject {
    const key = this.keyOf(object);
    const existing = this.objects.get(key);
    if (!existing) throw new FakeApiError(404, "NotFound", `${object.kind} "${object.metadata.name}" not found`);
    const sent = object.metadata.resourceVersion;
    if (sent && sent !== existing.metadata.resourceVersion) {
      throw new FakeApiError(409, "Conflict", `Operation cannot be fulfilled on ${object.kind} "${object.metadata.name}": the object has been modified`);
    }
    let next: KubeObject;
    if (statusOnly) {
      next = { ...structuredClone(existing), status: structuredClone(object.status) };
    } else {
      next = { ...structuredClone(object), status: structuredClone(existing.status) };
      next.metadata = {
        ...next.metadata,
        uid: existing.metadata.uid,
        creationTimestamp: existing.metadata.creationTimestamp,
        deletionTimestamp: existing.metadata.deletionTimestamp,
        generation: existing.metadata.generation,
      };
      if (JSON.stringify(object.spec) !== JSON.stringify(existing.spec)) next.metadata.generation = (existing.metadata.generation ?? 1) + 1;
    }
    if (next.status === undefined) delete next.status;
    if (next.metadata.deletionTimestamp === undefined) delete next.metadata.deletionTimestamp;
    next.metadata.resourceVersion = String(++this.resourceVersion);
    this.objects.set(key, next);
    this.emit("MODIFIED", next);
    return structuredClone(next);
  }

  private emit(type: StoreEvent["type"], object: KubeObject): void {
    for (const listener of this.listeners) listener({ type, object: structuredClone(object) });
  }

  private keyOf(object: KubeObject): string {
    return this.key(object, object.metadata.namespace, object.metadata.name);
  }

  private key(ref: KindRef, namespace: string | undefined, name: string): string {
    const ns = CLUSTER_SCOPED.has(ref.kind) ? "" : (namespace ?? "default");
    return `${ref.apiVersion}|${ref.kind}|${ns}|${name}`;
  }
}

function parseEqualitySelector(selector: string | undefined): Array<[string, string]> {
  if (!selector) return [];
  return selector
    .split(",")
    .map((part) => part.split("=").map((s) => s.trim()))
    .filter((pair): pair is [string, string] => pair.length === 2);
}
