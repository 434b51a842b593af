import { randomBytes, randomUUID } from "node:crypto";
import { realClock } from "./clock";
import { toStorage, toView } from "./convert";
import { applyDefaults, tracksGeneration } from "./defaults";
import { ApiError, alreadyExists, badRequest, conflict, expired, notFound } from "./errors";
import { recordUpdate, serverSideApply } from "./managed-fields";
import { cachedJson } from "./json-cache";
import { deepClone, deepEqual, jsonMergePatch, jsonPatch, strategicMergePatch } from "./merge";
import { apiVersionOf, isReviewKind, ResourceRegistry, splitApiVersion, type ResourceInfo } from "./resources";
import { matchesFields, matchesLabels, parseLabelSelector, type FieldSelector, type LabelSelector } from "./selectors";
import type { Clock, ClusterStore, KindRef, KubeObject, ListOptions, StoreEvent, WatchEventType } from "./types";
import { strictDecodingError, unknownCustomFields, validateObject } from "./validation";

export interface StoreOptions {
  registry?: ResourceRegistry;
  clock?: Clock;
  /** How many change events are kept so watches can resume from an older resourceVersion. */
  watchWindow?: number;
  /**
   * Upper bound on how long a gracefully deleted pod lingers when no kubelet (the simulation)
   * finishes it; the real kubelet kills containers at the end of the grace period.
   */
  gracefulDeletionMaxMs?: number;
  /** Returns (and with prune, removes) the fields of a built-in object its schema does not declare. */
  unknownFields?: (res: ResourceInfo, obj: KubeObject, prune: boolean) => string[];
}

export type FieldValidation = "Strict" | "Warn" | "Ignore";
export type PatchType = "json" | "merge" | "strategic" | "apply";

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  subresource?: string;
  force?: boolean;
  /** Internal callers (the simulation) may set status on create. */
  trusted?: boolean;
  /** Filled with warnings (unknown fields under fieldValidation=Warn). */
  warnings?: string[];
  /** managedFields already computed by server-side apply. */
  presetManagedFields?: unknown[];
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface DeleteResult {
  /** The object as it was removed, or as it now is while terminating. */
  object: KubeObject;
  /** False when the object only got a deletionTimestamp (graceful deletion or finalizers). */
  removed: boolean;
}

export interface HistoryEvent {
  rv: number;
  type: WatchEventType;
  obj: KubeObject;
  prev?: KubeObject;
  storageKey: string;
}

export interface ListQuery {
  namespace?: string;
  label?: LabelSelector;
  field?: FieldSelector;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WatchQuery {
  namespace?: string;
  label?: LabelSelector;
  field?: FieldSelector;
  resourceVersion?: string;
  sendInitialEvents?: boolean;
}

export type WatchSink = (type: WatchEventType, obj: KubeObject) => void;

interface Watcher {
  storageKey: string;
  query: WatchQuery;
  sink: WatchSink;
  fromRv: number;
}

export interface Snapshot {
  version: 1;
  resourceVersion: number;
  historyFloor: number;
  objects: KubeObject[];
  history: HistoryEvent[];
}

const NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

function randomSuffix(n: number): string {
  const bytes = randomBytes(n);
  let s = "";
  for (let i = 0; i < n; i++) s += NAME_CHARS[bytes[i] % NAME_CHARS.length];
  return s;
}

/** Fields that change on every write and must not make a no-op update look like a change. */
function comparable(obj: KubeObject): unknown {
  const { resourceVersion: _rv, managedFields, ...meta } = obj.metadata;
  void _rv;
  const owners = (managedFields as Array<Record<string, unknown>> | undefined)?.map(({ time: _t, ...rest }) => {
    void _t;
    return rest;
  });
  return { ...obj, metadata: { ...meta, managedFields: owners } };
}

function specOf(obj: KubeObject): unknown {
  const { metadata: _m, status: _s, ...rest } = obj;
  void _m;
  void _s;
  return rest;
}

/**
 * A private copy of a stored object as served for `res`. Goes through the same cached JSON the
 * API layer sends, so handing objects to the simulation costs one parse and no extra stringify.
 */
function copyOf(res: ResourceInfo, obj: KubeObject): KubeObject {
  return JSON.parse(cachedJson(obj, apiVersionOf(res), () => toView(res, obj))) as KubeObject;
}

function key(ns: string, name: string): string {
  return `${ns}\u0000${name}`;
}

/** Finalizers kube-apiserver adds for the garbage collector and the CRD cleanup (see controllers/). */
export const FOREGROUND_FINALIZER = "foregroundDeletion";
export const ORPHAN_FINALIZER = "orphan";
export const CRD_CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";
/** The namespace controller's finalizer, in a Namespace's spec.finalizers. */
export const NAMESPACE_FINALIZER = "kubernetes";

function isNamespace(res: ResourceInfo): boolean {
  return res.group === "" && res.kind === "Namespace";
}

function isCrd(res: ResourceInfo): boolean {
  return res.group === "apiextensions.k8s.io" && res.kind === "CustomResourceDefinition";
}

/** Whether something still holds the object back from deletion: metadata.finalizers, or a Namespace's spec.finalizers. */
function hasFinalizers(res: ResourceInfo, obj: KubeObject): boolean {
  if ((obj.metadata.finalizers ?? []).length > 0) return true;
  return isNamespace(res) && ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0;
}

/**
 * The cluster's objects. Stored objects are never mutated: every write stores a new object, so
 * lists, watch events and JSON caches can share them safely.
 */
export class MemoryStore implements ClusterStore {
  readonly registry: ResourceRegistry;
  readonly clock: Clock;
  private rv = 0;
  private historyFloor = 0;
  private readonly window: number;
  private readonly gracefulMaxMs: number;
  private readonly unknownFieldsOf?: (res: ResourceInfo, obj: KubeObject, prune: boolean) => string[];
  private data = new Map<string, Map<string, Map<string, KubeObject>>>();
  private sortedNames = new Map<string, string[]>();
  private history: HistoryEvent[] = [];
  private historyStart = 0;
  private watchers = new Map<string, Set<Watcher>>();
  private subscribers = new Set<(event: StoreEvent) => void>();
  private changeHooks = new Set<() => void>();
  private pending: HistoryEvent[] = [];
  private dispatching = false;
  private graceTimers = new Map<string, () => void>();

  constructor(options: StoreOptions = {}) {
    this.registry = options.registry ?? new ResourceRegistry();
    this.clock = options.clock ?? realClock;
    this.window = Math.max(1, options.watchWindow ?? 10_000);
    this.gracefulMaxMs = options.gracefulDeletionMaxMs ?? 3_000;
    this.unknownFieldsOf = options.unknownFields;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** The lowest resourceVersion a watch can still start from. */
  get oldestWatchableResourceVersion(): number {
    return this.historyFloor;
  }

  private nowIso(offsetMs = 0): string {
    return new Date(this.clock.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  // ---- ClusterStore (used by the simulated controllers) ----

  resolve(ref: KindRef): ResourceInfo {
    const res =
      this.registry.forKind(ref.apiVersion, ref.kind) ??
      this.registry.forGroupKind(splitApiVersion(ref.apiVersion).group, ref.kind);
    if (!res)
      throw new ApiError(
        404,
        "NotFound",
        `the server could not find the requested resource (${ref.apiVersion}, Kind=${ref.kind})`,
      );
    return res;
  }

  get(ref: KindRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const res = this.resolve(ref);
    const obj = this.getRaw(res, namespace, name);
    return obj ? copyOf(res, obj) : undefined;
  }

  list(ref: KindRef, options: ListOptions = {}): KubeObject[] {
    const res = this.resolve(ref);
    const { items } = this.listRaw(res, {
      namespace: options.namespace,
      label: parseLabelSelector(options.labelSelector),
    });
    return items.map((o) => copyOf(res, o));
  }

  create(object: KubeObject): KubeObject {
    const res = this.resolve(object);
    const ns = res.namespaced ? (object.metadata?.namespace ?? "default") : undefined;
    return copyOf(res, this.createIn(res, ns, object, { trusted: true }));
  }

  update(object: KubeObject): KubeObject {
    const res = this.resolve(object);
    return copyOf(
      res,
      this.updateIn(res, object.metadata?.namespace, object.metadata?.name, object, { trusted: true }),
    );
  }

  updateStatus(object: KubeObject): KubeObject {
    const res = this.resolve(object);
    return copyOf(
      res,
      this.updateIn(res, object.metadata?.namespace, object.metadata?.name, object, {
        trusted: true,
        subresource: "status",
      }),
    );
  }

  delete(
    ref: KindRef,
    namespace: string | undefined,
    name: string,
    options: { gracePeriodSeconds?: number; propagationPolicy?: "Background" | "Foreground" | "Orphan" } = {},
  ): KubeObject | undefined {
    const res = this.resolve(ref);
    if (!this.getRaw(res, namespace, name)) return undefined;
    return copyOf(res, this.deleteIn(res, namespace, name, options).object);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  /** Called after every committed write (persistence uses it). */
  onChange(hook: () => void): () => void {
    this.changeHooks.add(hook);
    return () => this.changeHooks.delete(hook);
  }

  // ---- reads ----

  getRaw(res: ResourceInfo, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.data
      .get(res.storageKey)
      ?.get(res.namespaced ? (namespace ?? "") : "")
      ?.get(name);
  }

  private sorted(storageKey: string, ns: string): string[] {
    const k = `${storageKey}\u0000${ns}`;
    let names = this.sortedNames.get(k);
    if (!names) {
      names = [...(this.data.get(storageKey)?.get(ns)?.keys() ?? [])].sort();
      this.sortedNames.set(k, names);
    }
    return names;
  }

  private matches(
    res: ResourceInfo,
    obj: KubeObject,
    q: { namespace?: string; label?: LabelSelector; field?: FieldSelector },
  ): boolean {
    if (q.namespace && res.namespaced && obj.metadata.namespace !== q.namespace) return false;
    if (q.label?.length && !matchesLabels(q.label, obj.metadata.labels)) return false;
    if (q.field?.length && !matchesFields(q.field, toView(res, obj))) return false;
    return true;
  }

  listRaw(res: ResourceInfo, q: ListQuery): ListResult {
    const byNs = this.data.get(res.storageKey);
    let start = "";
    if (q.continue) {
      try {
        const token = JSON.parse(Buffer.from(q.continue, "base64").toString("utf8")) as { start?: string };
        if (typeof token.start !== "string") throw new Error("no start");
        start = token.start;
      } catch {
        throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
      }
    }
    const slash = start.indexOf("/");
    const startNs = slash >= 0 ? start.slice(0, slash) : "";
    const startName = slash >= 0 ? start.slice(slash + 1) : start;
    const namespaces = !byNs ? [] : res.namespaced && q.namespace ? [q.namespace] : [...byNs.keys()].sort();
    const items: KubeObject[] = [];
    const limit = q.limit && q.limit > 0 ? q.limit : Infinity;
    let nextStart: string | undefined;
    let remaining = 0;
    const filtered = Boolean(q.label?.length || q.field?.length);
    for (const ns of namespaces) {
      const names = this.sorted(res.storageKey, ns);
      const map = byNs!.get(ns);
      if (!map) continue;
      for (const name of names) {
        if (start && (ns < startNs || (ns === startNs && name <= startName))) continue;
        const obj = map.get(name);
        if (!obj) continue;
        if (items.length >= limit) {
          if (nextStart === undefined)
            nextStart = `${items[items.length - 1].metadata.namespace ?? ""}/${items[items.length - 1].metadata.name}`;
          if (filtered) break;
          remaining++;
          continue;
        }
        if (!this.matches(res, obj, q)) continue;
        items.push(obj);
      }
      if (nextStart !== undefined && filtered) break;
    }
    const result: ListResult = { items, resourceVersion: String(this.rv) };
    if (nextStart !== undefined) {
      result.continue = Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: this.rv, start: nextStart })).toString(
        "base64",
      );
      if (!filtered) result.remainingItemCount = remaining;
    }
    return result;
  }

  /** Every stored object of every kind (persistence and namespace cleanup). */
  *allObjects(): Generator<[string, KubeObject]> {
    for (const [storageKey, byNs] of this.data)
      for (const m of byNs.values()) for (const o of m.values()) yield [storageKey, o];
  }

  // ---- writes ----

  private requireNamespace(res: ResourceInfo, ns: string | undefined, isCreate: boolean): void {
    if (!res.namespaced) return;
    if (!ns) throw badRequest("the server could not find the requested resource: namespace is required");
    const nsRes = this.registry.forKind("v1", "Namespace")!;
    const nsObj = this.getRaw(nsRes, undefined, ns);
    if (!nsObj) throw notFound("namespaces", "", ns);
    if (isCreate && nsObj.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        "Forbidden",
        `${res.plural} "${""}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        {
          kind: res.plural,
          causes: [
            {
              type: "NamespaceTerminating",
              message: `namespace ${ns} is being terminated`,
              field: "metadata.namespace",
            },
          ],
        },
      );
    }
  }

  /** Strict: unknown fields are an error. Warn: a warning each. Either way they are dropped. */
  private checkUnknownFields(res: ResourceInfo, obj: KubeObject, opts: WriteOptions): void {
    const mode = opts.fieldValidation ?? (opts.trusted ? "Ignore" : "Warn");
    // The simulation writes well-formed built-in objects; skip the schema walk for them.
    if (opts.trusted && mode === "Ignore" && !res.crd) return;
    const prune = mode !== "Strict";
    const unknown = res.crd ? unknownCustomFields(res, obj, prune) : (this.unknownFieldsOf?.(res, obj, prune) ?? []);
    if (unknown.length === 0) return;
    if (mode === "Strict") throw strictDecodingError(res, unknown);
    if (mode === "Warn") for (const f of unknown) opts.warnings?.push(`unknown field "${f}"`);
  }

  createIn(res: ResourceInfo, namespace: string | undefined, input: KubeObject, opts: WriteOptions = {}): KubeObject {
    if (isReviewKind(res)) throw new ApiError(405, "MethodNotAllowed", "reviews are not stored");
    if (input === null || typeof input !== "object" || Array.isArray(input))
      throw badRequest("Object 'Kind' is missing in request body");
    const obj = deepClone(toStorage(res, input));
    if (!obj.metadata || typeof obj.metadata !== "object") obj.metadata = { name: "" };
    const meta = obj.metadata;
    if (res.namespaced) meta.namespace = namespace;
    else delete meta.namespace;
    this.checkUnknownFields(res, obj, opts);
    if (res.kind !== "Namespace") this.requireNamespace(res, meta.namespace, true);
    if (!meta.name && meta.generateName) {
      for (let i = 0; i < 8; i++) {
        meta.name = `${meta.generateName}${randomSuffix(5)}`;
        if (!this.getRaw(res, meta.namespace, meta.name)) break;
      }
    }
    if (meta.name && this.getRaw(res, meta.namespace, meta.name)) throw alreadyExists(res.plural, res.group, meta.name);
    meta.uid = randomUUID();
    meta.creationTimestamp = this.nowIso();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (tracksGeneration(res)) meta.generation = 1;
    else delete meta.generation;
    if (!opts.trusted && res.hasStatus && res.kind !== "Namespace") delete obj.status;
    applyDefaults(res, obj, true);
    if (res.group === "" && res.kind === "Service") this.allocateClusterIP(obj);
    validateObject(res, obj);
    if (opts.fieldManager) {
      meta.managedFields = recordUpdate(undefined, obj, opts.fieldManager, apiVersionOf(res), this.nowIso()) as
        unknown[] | undefined;
    } else if (!opts.trusted) {
      delete meta.managedFields;
    }
    if (opts.presetManagedFields) meta.managedFields = opts.presetManagedFields;
    if (opts.dryRun) return obj;
    return this.commit(res, undefined, obj);
  }

  /** Service IPs come from ASK's default service CIDR, 172.21.0.0/20; .1 is the apiserver's. */
  private allocateClusterIP(svc: KubeObject): void {
    const spec = svc.spec as { type?: string; clusterIP?: string; clusterIPs?: string[] };
    if (spec.type === "ExternalName" || spec.clusterIP === "None") {
      if (spec.clusterIP === "None") spec.clusterIPs = ["None"];
      return;
    }
    if (!spec.clusterIP) {
      const res = this.registry.forKind("v1", "Service")!;
      const used = new Set(this.listRaw(res, {}).items.map((s) => (s.spec as { clusterIP?: string }).clusterIP));
      const first = svc.metadata.namespace === "default" && svc.metadata.name === "kubernetes" ? 1 : 10;
      for (let i = first; i < 4094; i++) {
        const ip = `172.21.${i >> 8}.${i & 255}`;
        if (!used.has(ip)) {
          spec.clusterIP = ip;
          break;
        }
      }
    }
    spec.clusterIPs ??= [spec.clusterIP!];
  }

  /** PUT semantics: replace the object (or only its status with subresource "status"). */
  updateIn(
    res: ResourceInfo,
    namespace: string | undefined,
    name: string | undefined,
    input: KubeObject,
    opts: WriteOptions = {},
  ): KubeObject {
    if (input === null || typeof input !== "object" || Array.isArray(input))
      throw badRequest("Object 'Kind' is missing in request body");
    const ns = res.namespaced ? namespace : undefined;
    if (!name) throw badRequest("name is required");
    const existing = this.getRaw(res, ns, name);
    if (!existing) throw notFound(res.plural, res.group, name);
    const incomingRv = input.metadata?.resourceVersion;
    if (incomingRv && incomingRv !== existing.metadata.resourceVersion) throw conflict(res.plural, res.group, name);
    const candidate = deepClone(toStorage(res, input));
    this.checkUnknownFields(res, candidate, opts);
    return this.finishUpdate(res, existing, candidate, opts);
  }

  private finishUpdate(
    res: ResourceInfo,
    existing: KubeObject,
    candidate: KubeObject,
    opts: WriteOptions,
    managedFieldsDone = false,
  ): KubeObject {
    let next: KubeObject;
    if (opts.subresource === "status") {
      next = { ...deepClone(existing), status: candidate.status };
      if (candidate.status === undefined) delete next.status;
      if (opts.trusted && candidate.metadata) {
        // The simulated kubelet also sets conditions-derived annotations when it reports status.
        next.metadata = { ...next.metadata, annotations: candidate.metadata.annotations ?? next.metadata.annotations };
      }
    } else if (opts.subresource === "finalize") {
      // namespaces/finalize changes spec.finalizers and nothing else.
      const finalizers = (candidate.spec as { finalizers?: string[] } | undefined)?.finalizers;
      next = deepClone(existing);
      next.spec = { ...(next.spec as object), finalizers: finalizers ?? [] };
    } else {
      next = candidate;
      if (!next.metadata || typeof next.metadata !== "object") next.metadata = { name: existing.metadata.name };
      if (res.hasStatus) {
        if (existing.status === undefined) delete next.status;
        else next.status = deepClone(existing.status);
      }
      if (isNamespace(res)) {
        // Only namespaces/finalize may change spec.finalizers (the namespace strategy keeps the old ones).
        const kept = (existing.spec as { finalizers?: string[] } | undefined)?.finalizers;
        next.spec = { ...((next.spec as object | undefined) ?? {}), ...(kept ? { finalizers: kept } : {}) };
      }
    }
    const meta = next.metadata;
    const old = existing.metadata;
    meta.name = old.name;
    if (res.namespaced) meta.namespace = old.namespace;
    else delete meta.namespace;
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    meta.resourceVersion = old.resourceVersion;
    if (old.deletionTimestamp) {
      meta.deletionTimestamp = old.deletionTimestamp;
      if (old.deletionGracePeriodSeconds !== undefined)
        meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    if (meta.managedFields === undefined && old.managedFields !== undefined && !managedFieldsDone)
      meta.managedFields = old.managedFields;
    if (old.generation !== undefined) meta.generation = old.generation;
    else delete meta.generation;
    applyDefaults(res, next, false);
    validateObject(res, next, existing);
    if (tracksGeneration(res) && !deepEqual(specOf(next), specOf(existing)))
      meta.generation = (old.generation ?? 0) + 1;
    if (opts.fieldManager && !managedFieldsDone) {
      meta.managedFields = recordUpdate(
        existing,
        next,
        opts.fieldManager,
        apiVersionOf(res),
        this.nowIso(),
        opts.subresource,
      ) as unknown[] | undefined;
    }
    if (meta.managedFields === undefined) delete meta.managedFields;
    if (deepEqual(comparable(next), comparable(existing))) return existing;
    if (opts.dryRun) return next;
    if (meta.deletionTimestamp && !hasFinalizers(res, next) && hasFinalizers(res, existing)) {
      return this.remove(res, next);
    }
    return this.commit(res, existing, next);
  }

  patchIn(
    res: ResourceInfo,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions = {},
  ): KubeObject {
    const ns = res.namespaced ? namespace : undefined;
    const existing = this.getRaw(res, ns, name);
    if (type === "apply") return this.applyIn(res, ns, name, existing, patch as KubeObject, opts);
    if (!existing) throw notFound(res.plural, res.group, name);
    const view = toView(res, existing);
    let patched: unknown;
    switch (type) {
      case "json":
        patched = jsonPatch(view, patch);
        break;
      case "merge":
        patched = jsonMergePatch(deepClone(view), patch);
        break;
      case "strategic":
        if (res.crd) {
          throw new ApiError(
            415,
            "UnsupportedMediaType",
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          );
        }
        patched = strategicMergePatch(deepClone(view), patch);
        break;
    }
    if (patched === null || typeof patched !== "object" || Array.isArray(patched))
      throw badRequest("the patch produced an object that is not a JSON object");
    const candidate = patched as KubeObject;
    if (!candidate.metadata || typeof candidate.metadata !== "object") candidate.metadata = { name };
    const rvAfter = candidate.metadata.resourceVersion;
    if (rvAfter !== undefined && rvAfter !== existing.metadata.resourceVersion)
      throw conflict(res.plural, res.group, name);
    if (candidate.metadata.name !== undefined && candidate.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${String(candidate.metadata.name)}) does not match the name on the URL (${name})`,
      );
    }
    const storage = deepClone(toStorage(res, candidate));
    this.checkUnknownFields(res, storage, opts);
    return this.finishUpdate(res, existing, storage, opts);
  }

  private applyIn(
    res: ResourceInfo,
    ns: string | undefined,
    name: string,
    existing: KubeObject | undefined,
    applied: KubeObject,
    opts: WriteOptions,
  ): KubeObject {
    if (!opts.fieldManager) {
      throw badRequest(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    }
    if (applied === null || typeof applied !== "object" || Array.isArray(applied))
      throw badRequest("apply patch must be an object");
    if (!applied.apiVersion || !applied.kind) throw badRequest("Object 'Kind' is missing in apply patch");
    if (applied.apiVersion !== apiVersionOf(res) || applied.kind !== res.kind) {
      throw badRequest(
        `the API version in the data (${applied.apiVersion}) does not match the expected API version (${apiVersionOf(res)})`,
      );
    }
    applied.metadata ??= { name };
    if (applied.metadata.name && applied.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    if (
      applied.metadata.resourceVersion &&
      existing &&
      applied.metadata.resourceVersion !== existing.metadata.resourceVersion
    ) {
      throw conflict(res.plural, res.group, name);
    }
    const cleaned = deepClone(applied);
    this.checkUnknownFields(res, cleaned, opts);
    const skipStatus = res.hasStatus && opts.subresource !== "status";
    const liveView = existing ? toView(res, existing) : undefined;
    const merged = serverSideApply(
      liveView,
      { ...cleaned, metadata: { ...cleaned.metadata, name } },
      opts.fieldManager,
      Boolean(opts.force),
      apiVersionOf(res),
      this.nowIso(),
      {
        subresource: opts.subresource,
        skipStatus,
      },
    );
    const storage = toStorage(res, merged);
    if (!existing) {
      return this.createIn(res, ns, storage, {
        ...opts,
        fieldManager: undefined,
        fieldValidation: "Ignore",
        trusted: !skipStatus,
        presetManagedFields: storage.metadata.managedFields,
      });
    }
    return this.finishUpdate(
      res,
      existing,
      storage,
      { ...opts, subresource: opts.subresource === "status" ? "status" : undefined },
      true,
    );
  }

  deleteIn(res: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): DeleteResult {
    const ns = res.namespaced ? namespace : undefined;
    const existing = this.getRaw(res, ns, name);
    if (!existing) throw notFound(res.plural, res.group, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== existing.metadata.uid) {
      throw new ApiError(
        409,
        "Conflict",
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`,
        { name, kind: res.plural },
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
      throw new ApiError(
        409,
        "Conflict",
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
        { name, kind: res.plural },
      );
    }
    if (opts.dryRun) return { object: existing, removed: true };

    // What the garbage collector must do first is recorded as a finalizer, as kube-apiserver does;
    // the controllers in controllers/ do the work and remove it, and the object goes with the last one.
    const policy = opts.propagationPolicy;
    const gcFinalizer =
      policy === "Foreground" ? FOREGROUND_FINALIZER : policy === "Orphan" ? ORPHAN_FINALIZER : undefined;
    const extraFinalizer =
      gcFinalizer ?? (isCrd(res) && !existing.metadata.deletionTimestamp ? CRD_CLEANUP_FINALIZER : undefined);
    if ((existing.metadata.finalizers ?? []).length > 0 || extraFinalizer || isNamespace(res)) {
      if (existing.metadata.deletionTimestamp && !extraFinalizer) return { object: existing, removed: false };
      const next = deepClone(existing);
      next.metadata.deletionTimestamp ??= this.nowIso();
      next.metadata.deletionGracePeriodSeconds ??= 0;
      if (extraFinalizer && !(next.metadata.finalizers ?? []).includes(extraFinalizer))
        next.metadata.finalizers = [...(next.metadata.finalizers ?? []), extraFinalizer];
      if (isNamespace(res)) next.status = { ...(next.status as object), phase: "Terminating" };
      if (!hasFinalizers(res, next)) return { object: this.remove(res, next), removed: true };
      return { object: this.commit(res, existing, next), removed: false };
    }

    if (res.group === "" && res.kind === "Pod") {
      const graceful = this.gracefulPodDelete(res, existing, opts.gracePeriodSeconds);
      if (graceful) return { object: graceful, removed: false };
    }
    return { object: this.remove(res, existing), removed: true };
  }

  private gracefulPodDelete(res: ResourceInfo, pod: KubeObject, requested: number | undefined): KubeObject | undefined {
    const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    let grace = requested ?? spec.terminationGracePeriodSeconds ?? 30;
    // As the apiserver: unscheduled and finished pods go at once.
    if (!spec.nodeName || phase === "Succeeded" || phase === "Failed") grace = 0;
    if (grace <= 0) return undefined;
    const current = pod.metadata.deletionGracePeriodSeconds;
    if (pod.metadata.deletionTimestamp && current !== undefined && current <= grace) return pod;
    const next = deepClone(pod);
    next.metadata.deletionTimestamp = this.nowIso(grace * 1000);
    next.metadata.deletionGracePeriodSeconds = grace;
    const committed = this.commit(res, pod, next);
    const k = key(pod.metadata.namespace ?? "", pod.metadata.name);
    this.graceTimers.get(k)?.();
    // Without a fallback (the simulated kubelet finishes every pod) the pod waits for it, as on an apiserver.
    if (!Number.isFinite(this.gracefulMaxMs)) return committed;
    const uid = pod.metadata.uid;
    const cancel = this.clock.setTimeout(
      () => {
        this.graceTimers.delete(k);
        const still = this.getRaw(res, pod.metadata.namespace, pod.metadata.name);
        if (still && still.metadata.uid === uid && still.metadata.deletionTimestamp) {
          this.deleteIn(res, pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0 });
        }
      },
      Math.min(grace * 1000, this.gracefulMaxMs),
    );
    this.graceTimers.set(k, cancel);
    return committed;
  }

  private put(storageKey: string, obj: KubeObject): boolean {
    let byNs = this.data.get(storageKey);
    if (!byNs) this.data.set(storageKey, (byNs = new Map()));
    const ns = obj.metadata.namespace ?? "";
    let m = byNs.get(ns);
    if (!m) byNs.set(ns, (m = new Map()));
    const isNew = !m.has(obj.metadata.name);
    m.set(obj.metadata.name, obj);
    if (isNew) this.sortedNames.delete(`${storageKey}\u0000${ns}`);
    return isNew;
  }

  private commit(res: ResourceInfo, prev: KubeObject | undefined, next: KubeObject): KubeObject {
    next.metadata.resourceVersion = String(++this.rv);
    this.put(res.storageKey, next);
    if (isCrd(res)) this.registry.applyCrd(next);
    this.emit({ rv: this.rv, type: prev ? "MODIFIED" : "ADDED", obj: next, prev, storageKey: res.storageKey });
    return next;
  }

  private remove(res: ResourceInfo, obj: KubeObject): KubeObject {
    const ns = obj.metadata.namespace ?? "";
    const byNs = this.data.get(res.storageKey);
    const m = byNs?.get(ns);
    m?.delete(obj.metadata.name);
    if (m && m.size === 0) byNs!.delete(ns);
    this.sortedNames.delete(`${res.storageKey}\u0000${ns}`);
    const k = key(ns, obj.metadata.name);
    if (res.kind === "Pod") {
      this.graceTimers.get(k)?.();
      this.graceTimers.delete(k);
    }
    if (isCrd(res)) this.registry.removeCrd(obj.metadata.name);
    const gone: KubeObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } };
    this.emit({ rv: this.rv, type: "DELETED", obj: gone, storageKey: res.storageKey });
    return gone;
  }

  private emit(ev: HistoryEvent): void {
    // Exactly `window` events are kept; the array is compacted in batches so trimming stays O(1).
    this.history.push(ev);
    if (this.history.length - this.historyStart > this.window) {
      this.historyFloor = this.history[this.historyStart].rv;
      this.historyStart++;
      if (this.historyStart >= Math.max(1024, this.window)) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    this.pending.push(ev);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      while (this.pending.length) {
        const e = this.pending.shift()!;
        this.deliver(e);
        if (this.subscribers.size) {
          const res = this.registry.byStorage(e.storageKey);
          const object = res ? copyOf(res, e.obj) : deepClone(e.obj);
          for (const s of [...this.subscribers]) {
            try {
              s({ type: e.type, object });
            } catch (err) {
              console.error("demo-cluster: store subscriber failed:", err);
            }
          }
        }
      }
    } finally {
      this.dispatching = false;
    }
    for (const h of this.changeHooks) h();
  }

  // ---- watch ----

  private deliver(ev: HistoryEvent): void {
    const ws = this.watchers.get(ev.storageKey);
    if (!ws) return;
    for (const w of ws) this.deliverTo(w, ev);
  }

  private deliverTo(w: Watcher, ev: HistoryEvent): void {
    if (ev.rv <= w.fromRv) return;
    const res = this.registry.byStorage(w.storageKey);
    if (!res) return;
    const now = this.matches(res, ev.obj, w.query);
    try {
      if (ev.type === "ADDED") {
        if (now) w.sink("ADDED", ev.obj);
      } else if (ev.type === "DELETED") {
        if (now) w.sink("DELETED", ev.obj);
      } else {
        const before = ev.prev ? this.matches(res, ev.prev, w.query) : false;
        if (now && before) w.sink("MODIFIED", ev.obj);
        else if (now) w.sink("ADDED", ev.obj);
        else if (before) w.sink("DELETED", ev.obj);
      }
    } catch (err) {
      console.error("demo-cluster: watch sink failed:", err);
    }
  }

  /**
   * Starts a watch. Without a resourceVersion (or with "0" or sendInitialEvents) the current
   * objects come first as ADDED events. Throws 410 Expired when the requested resourceVersion is
   * older than the retained window.
   */
  watch(res: ResourceInfo, query: WatchQuery, sink: WatchSink): () => void {
    const rvParam = query.resourceVersion;
    let fromRv: number;
    const initial = query.sendInitialEvents === true || !rvParam || rvParam === "0";
    if (initial) {
      fromRv = this.rv;
      for (const obj of this.listRaw(res, { namespace: query.namespace, label: query.label, field: query.field })
        .items) {
        sink("ADDED", obj);
      }
    } else {
      fromRv = Number(rvParam);
      if (!Number.isInteger(fromRv) || fromRv < 0) throw badRequest(`invalid resource version: ${rvParam}`);
      if (fromRv < this.historyFloor) {
        throw expired(`too old resource version: ${fromRv} (${this.historyFloor + 1})`);
      }
    }
    const w: Watcher = { storageKey: res.storageKey, query, sink, fromRv };
    if (!initial) {
      // Replay what happened since fromRv from the retained window.
      const startIdx = this.firstHistoryIndexAfter(fromRv);
      for (let i = startIdx; i < this.history.length; i++) {
        const ev = this.history[i];
        if (ev.storageKey === res.storageKey) this.deliverTo(w, ev);
      }
    }
    w.fromRv = Math.max(fromRv, this.rv);
    let set = this.watchers.get(res.storageKey);
    if (!set) this.watchers.set(res.storageKey, (set = new Set()));
    set.add(w);
    return () => {
      set!.delete(w);
    };
  }

  private firstHistoryIndexAfter(rv: number): number {
    let lo = this.historyStart;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  watcherCount(): number {
    let n = 0;
    for (const s of this.watchers.values()) n += s.size;
    return n;
  }

  // ---- persistence ----

  snapshot(historyLimit = 2000): Snapshot {
    const objects: KubeObject[] = [];
    for (const [, o] of this.allObjects()) objects.push(o);
    const kept = this.history.length - this.historyStart;
    const history = this.history.slice(this.history.length - Math.min(kept, historyLimit));
    const floor = history.length < kept ? history[0].rv - 1 : this.historyFloor;
    return {
      version: 1,
      resourceVersion: this.rv,
      historyFloor: history.length ? Math.max(floor, this.historyFloor) : this.rv,
      objects,
      history,
    };
  }

  /** Replaces all state with a snapshot (before the server starts). */
  restore(snap: Snapshot): void {
    this.data.clear();
    this.sortedNames.clear();
    for (const obj of snap.objects) {
      const res = this.storageResource(obj);
      if (!res) continue;
      this.put(res.storageKey, obj);
      if (isCrd(res)) this.registry.applyCrd(obj);
    }
    // Custom resources stored before their CRD was re-registered above.
    for (const obj of snap.objects) {
      const res = this.storageResource(obj);
      if (res && !this.getRaw(res, obj.metadata.namespace, obj.metadata.name)) {
        this.put(res.storageKey, obj);
      }
    }
    this.rv = snap.resourceVersion;
    this.history = (snap.history ?? []).slice(-this.window);
    this.historyStart = 0;
    this.historyFloor = Math.max(
      snap.historyFloor ?? this.rv,
      this.history.length < (snap.history ?? []).length ? this.history[0].rv - 1 : 0,
    );
  }

  private storageResource(obj: KubeObject): ResourceInfo | undefined {
    const { group } = splitApiVersion(obj.apiVersion ?? "");
    return this.registry.forKind(obj.apiVersion, obj.kind) ?? this.registry.forGroupKind(group, obj.kind);
  }

  /**
   * Deletes Events older than `ttlMs` (by last occurrence), as kube-apiserver's event TTL
   * (1 h by default) does through etcd leases. Returns how many went.
   */
  expireEvents(ttlMs: number): number {
    const res = this.registry.forKind("v1", "Event");
    const byNs = res && this.data.get(res.storageKey);
    if (!res || !byNs) return 0;
    const cutoff = this.clock.now() - ttlMs;
    const expired: KubeObject[] = [];
    for (const m of byNs.values()) {
      for (const e of m.values()) {
        const ev = e as KubeObject & {
          lastTimestamp?: string;
          eventTime?: string;
          series?: { lastObservedTime?: string };
        };
        const last = ev.series?.lastObservedTime ?? ev.lastTimestamp ?? ev.eventTime ?? ev.metadata.creationTimestamp;
        if (last && Date.parse(last) < cutoff) expired.push(e);
      }
    }
    for (const e of expired) this.remove(res, e);
    return expired.length;
  }

  /** Stops timers (graceful deletion fallbacks). */
  close(): void {
    for (const cancel of this.graceTimers.values()) cancel();
    this.graceTimers.clear();
  }
}
