/**
 * apiextensions-apiserver's CRD controllers: the naming and establishing controllers write a new
 * CRD's status (NamesAccepted, Established, storedVersions); the finalizer controller deletes every
 * custom resource of a deleted CRD, then removes its `customresourcecleanup` finalizer so it goes.
 */
import { ApiError } from "../errors";
import { CRD_CLEANUP_FINALIZER, type MemoryStore } from "../store";
import { deepEqual } from "../merge";
import { WorkQueue } from "../sim/work-queue";
import type { KubeObject } from "../types";
import type { ControllerOptions } from "./garbage-collector";

const reportError = (error: unknown) => console.error("demo-cluster: CRD controller:", error);

interface CrdSpec {
  group?: string;
  names?: { kind?: string };
  versions?: Array<{ name: string; storage?: boolean }>;
}
interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

/** The status the controllers converge on; transition times kept from the previous status. */
export function crdStatus(crd: KubeObject, nowIso: string): Record<string, unknown> {
  const spec = (crd.spec ?? {}) as CrdSpec;
  const prev = (crd.status ?? {}) as { conditions?: Condition[] };
  const condition = (type: string, status: string, reason: string, message: string): Condition => {
    const before = prev.conditions?.find((c) => c.type === type);
    const since = before && before.status === status ? before.lastTransitionTime : nowIso;
    return { type, status, reason, message, lastTransitionTime: since };
  };
  const conditions = [
    condition("NamesAccepted", "True", "NoConflicts", "no conflicts found"),
    condition("Established", "True", "InitialNamesAccepted", "the initial names have been accepted"),
  ];
  if (crd.metadata.deletionTimestamp)
    conditions.push(
      condition("Terminating", "True", "InstanceDeletionInProgress", "CustomResource deletion is in progress"),
    );
  return {
    acceptedNames: spec.names ?? {},
    conditions,
    storedVersions: (spec.versions ?? []).filter((v) => v.storage !== false).map((v) => v.name),
  };
}

export function startCrdController(store: MemoryStore, options: ControllerOptions): () => void {
  const crdRes = store.registry.forKind("apiextensions.k8s.io/v1", "CustomResourceDefinition")!;
  const deletingByGroupKind = new Map<string, string>();
  const queue = new WorkQueue(options.clock, (name) => process(name), options.onError ?? reportError);
  const groupKind = (spec: CrdSpec) => `${spec.group}/${spec.names?.kind}`;

  for (const crd of store.listRaw(crdRes, {}).items) queue.add(crd.metadata.name);
  const unsubscribe = store.subscribe(({ type, object }) => {
    if (object.kind === "CustomResourceDefinition" && object.apiVersion === "apiextensions.k8s.io/v1") {
      if (type === "DELETED") deletingByGroupKind.delete(groupKind((object.spec ?? {}) as CrdSpec));
      else queue.add(object.metadata.name);
      return;
    }
    if (type !== "DELETED") return;
    const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
    const crdName = deletingByGroupKind.get(`${group}/${object.kind}`);
    if (crdName) queue.add(crdName);
  });

  function process(name: string): void {
    const crd = store.getRaw(crdRes, undefined, name);
    if (!crd) return;
    const status = crdStatus(crd, new Date(options.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z"));
    if (!deepEqual(status, crd.status)) {
      store.updateIn(crdRes, undefined, name, { ...crd, status } as KubeObject, {
        trusted: true,
        subresource: "status",
      });
    }
    if (!crd.metadata.deletionTimestamp || !(crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) return;
    const spec = (crd.spec ?? {}) as CrdSpec;
    deletingByGroupKind.set(groupKind(spec), name);
    const res = store.registry.byStorage(groupKind(spec));
    const instances = res ? store.listRaw(res, {}).items : [];
    for (const obj of instances) {
      if (obj.metadata.deletionTimestamp) continue;
      try {
        store.deleteIn(res!, obj.metadata.namespace, obj.metadata.name, {});
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
    if (instances.length > 0) return;
    const fresh = store.getRaw(crdRes, undefined, name)!;
    const finalizers = (fresh.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
    store.updateIn(
      crdRes,
      undefined,
      name,
      { ...fresh, metadata: { ...fresh.metadata, finalizers } },
      { trusted: true },
    );
  }

  return () => {
    unsubscribe();
    queue.stop();
  };
}
