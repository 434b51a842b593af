/**
 * kube-controller-manager's namespace controller: a deleted namespace stays `Terminating` while
 * everything in it is deleted (pods gracefully, so they show as terminating first), then the
 * controller removes its `kubernetes` finalizer through namespaces/finalize and the namespace goes.
 * Creating in a terminating namespace is refused by the store, as by kube-apiserver.
 */
import { ApiError } from "../errors";
import { isReviewKind, type ResourceInfo } from "../resources";
import { NAMESPACE_FINALIZER, type MemoryStore } from "../store";
import { WorkQueue } from "../sim/work-queue";
import type { KubeObject } from "../types";
import type { ControllerOptions } from "./garbage-collector";

const reportError = (error: unknown) => console.error("demo-cluster: namespace controller:", error);

export function startNamespaceController(store: MemoryStore, options: ControllerOptions): () => void {
  const nsRes = store.registry.forKind("v1", "Namespace")!;
  const terminating = new Set<string>();
  const queue = new WorkQueue(options.clock, (ns) => process(ns), options.onError ?? reportError);

  const watchNamespace = (ns: KubeObject) => {
    if (!ns.metadata.deletionTimestamp) return;
    terminating.add(ns.metadata.name);
    queue.add(ns.metadata.name);
  };
  for (const ns of store.listRaw(nsRes, {}).items) watchNamespace(ns);
  const unsubscribe = store.subscribe(({ type, object }) => {
    if (object.kind === "Namespace" && object.apiVersion === "v1") {
      if (type === "DELETED") terminating.delete(object.metadata.name);
      else watchNamespace(object);
      return;
    }
    const ns = object.metadata.namespace;
    if (type === "DELETED" && ns && terminating.has(ns)) queue.add(ns);
  });

  function namespacedResources(): ResourceInfo[] {
    const seen = new Set<string>();
    return store.registry.all().filter((r) => {
      if (!r.namespaced || isReviewKind(r) || seen.has(r.storageKey)) return false;
      seen.add(r.storageKey);
      return true;
    });
  }

  function process(name: string): void {
    const ns = store.getRaw(nsRes, undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const res of namespacedResources()) {
      for (const obj of store.listRaw(res, { namespace: name }).items) {
        remaining++;
        if (obj.metadata.deletionTimestamp) continue;
        try {
          store.deleteIn(res, name, obj.metadata.name, {});
        } catch (e) {
          if (!(e instanceof ApiError && e.code === 404)) throw e;
        }
      }
    }
    if (remaining > 0) return;
    const finalizers = ((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).filter(
      (f) => f !== NAMESPACE_FINALIZER,
    );
    store.updateIn(nsRes, undefined, name, { ...ns, spec: { ...(ns.spec as object), finalizers } } as KubeObject, {
      trusted: true,
      subresource: "finalize",
    });
  }

  return () => {
    unsubscribe();
    queue.stop();
  };
}
