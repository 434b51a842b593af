/**
 * kube-controller-manager's garbage collector, for what ownerReferences ask
 * (https://kubernetes.io/docs/concepts/architecture/garbage-collection/):
 * - an owner deleted in the background is gone at once; its dependents follow, deleted by us;
 * - an owner deleted in the foreground keeps a `foregroundDeletion` finalizer until its dependents
 *   (deleted in the foreground too) are gone;
 * - an orphaning delete keeps an `orphan` finalizer until its dependents no longer point at it;
 * - a dependent whose owners are all gone, or never existed, is deleted; one that still has a live
 *   owner only loses the dangling reference.
 * Like the real one it works from its own graph of every object, built from the store's events.
 */
import { ApiError } from "../errors";
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type MemoryStore } from "../store";
import { WorkQueue } from "../sim/work-queue";
import type { Clock, KindRef, KubeObject } from "../types";

interface GraphNode {
  ref: KindRef;
  namespace?: string;
  name: string;
  owners: string[];
  finalizers: string[];
  deleting: boolean;
}

export interface ControllerOptions {
  clock: Clock;
  onError?: (error: unknown) => void;
}

const reportError = (error: unknown) => console.error("demo-cluster: garbage collector:", error);

export function startGarbageCollector(store: MemoryStore, options: ControllerOptions): () => void {
  const nodes = new Map<string, GraphNode>();
  const dependents = new Map<string, Set<string>>();

  const link = (uid: string, owners: string[], add: boolean) => {
    for (const owner of owners) {
      let set = dependents.get(owner);
      if (add) {
        if (!set) dependents.set(owner, (set = new Set()));
        set.add(uid);
      } else if (set) {
        set.delete(uid);
        if (set.size === 0) dependents.delete(owner);
      }
    }
  };

  const upsert = (obj: KubeObject): GraphNode => {
    const uid = obj.metadata.uid!;
    const previous = nodes.get(uid);
    if (previous) link(uid, previous.owners, false);
    const node: GraphNode = {
      ref: { apiVersion: obj.apiVersion, kind: obj.kind },
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      owners: (obj.metadata.ownerReferences ?? []).map((o) => o.uid),
      finalizers: obj.metadata.finalizers ?? [],
      deleting: Boolean(obj.metadata.deletionTimestamp),
    };
    nodes.set(uid, node);
    link(uid, node.owners, true);
    return node;
  };

  const queue = new WorkQueue(options.clock, (key) => process(key), options.onError ?? reportError);
  const holdsFinalizer = (node: GraphNode) =>
    node.deleting && (node.finalizers.includes(FOREGROUND_FINALIZER) || node.finalizers.includes(ORPHAN_FINALIZER));

  const observe = (obj: KubeObject) => {
    const node = upsert(obj);
    const uid = obj.metadata.uid!;
    if (holdsFinalizer(node)) queue.add(`owner:${uid}`);
    if (node.owners.some((o) => !nodes.has(o))) queue.add(`dependent:${uid}`);
  };

  for (const [, obj] of store.allObjects()) upsert(obj);
  for (const [uid, node] of nodes) {
    if (holdsFinalizer(node)) queue.add(`owner:${uid}`);
    if (node.owners.some((o) => !nodes.has(o))) queue.add(`dependent:${uid}`);
  }

  const unsubscribe = store.subscribe(({ type, object }) => {
    const uid = object.metadata.uid;
    if (!uid) return;
    if (type !== "DELETED") return observe(object);
    const node = nodes.get(uid);
    nodes.delete(uid);
    if (node) link(uid, node.owners, false);
    if (dependents.has(uid)) queue.add(`owner:${uid}`);
    // An owner waiting in the foreground looks again when one of its dependents goes.
    for (const owner of node?.owners ?? []) if (nodes.get(owner)?.deleting) queue.add(`owner:${owner}`);
  });

  function current(uid: string): KubeObject | undefined {
    const node = nodes.get(uid);
    const obj = node && store.get(node.ref, node.namespace, node.name);
    return obj?.metadata.uid === uid ? obj : undefined;
  }

  function ignoreNotFound(write: () => void): void {
    try {
      write();
    } catch (e) {
      if (!(e instanceof ApiError && (e.code === 404 || e.code === 409))) throw e;
    }
  }

  function withoutOwner(uid: string, owners: (ownerUid: string) => boolean): void {
    const obj = current(uid);
    if (!obj) return;
    const kept = (obj.metadata.ownerReferences ?? []).filter((o) => !owners(o.uid));
    const metadata = { ...obj.metadata };
    if (kept.length) metadata.ownerReferences = kept;
    else delete metadata.ownerReferences;
    const next: KubeObject = { ...obj, metadata };
    ignoreNotFound(() => store.update(next));
  }

  function deleteObject(uid: string, propagationPolicy: "Background" | "Foreground"): void {
    const node = nodes.get(uid);
    if (!node || node.deleting) return;
    ignoreNotFound(() => store.delete(node.ref, node.namespace, node.name, { propagationPolicy }));
  }

  function removeFinalizer(uid: string, finalizer: string): void {
    const obj = current(uid);
    if (!obj) return;
    const next = {
      ...obj,
      metadata: { ...obj.metadata, finalizers: (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer) },
    };
    ignoreNotFound(() => store.update(next));
  }

  function processOwner(uid: string): void {
    const owner = nodes.get(uid);
    const deps = [...(dependents.get(uid) ?? [])];
    if (!owner) {
      for (const dep of deps) {
        const node = nodes.get(dep);
        if (!node) continue;
        if (node.owners.some((o) => o !== uid && nodes.has(o))) withoutOwner(dep, (o) => !nodes.has(o));
        else deleteObject(dep, "Background");
      }
      return;
    }
    if (!owner.deleting) return;
    if (owner.finalizers.includes(ORPHAN_FINALIZER)) {
      for (const dep of deps) withoutOwner(dep, (o) => o === uid);
      removeFinalizer(uid, ORPHAN_FINALIZER);
    } else if (owner.finalizers.includes(FOREGROUND_FINALIZER)) {
      // As the real collector: dependents with dependents of their own go in the foreground too,
      // leaves in the background (so pods still terminate gracefully).
      for (const dep of deps) deleteObject(dep, dependents.has(dep) ? "Foreground" : "Background");
      if ((dependents.get(uid)?.size ?? 0) === 0) removeFinalizer(uid, FOREGROUND_FINALIZER);
    }
  }

  function processDependent(uid: string): void {
    const node = nodes.get(uid);
    if (!node || !node.owners.some((o) => !nodes.has(o))) return;
    if (node.owners.some((o) => nodes.has(o))) withoutOwner(uid, (o) => !nodes.has(o));
    else deleteObject(uid, "Background");
  }

  function process(key: string): void {
    const [kind, uid] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
    if (kind === "owner") processOwner(uid);
    else processDependent(uid);
  }

  return () => {
    unsubscribe();
    queue.stop();
  };
}
