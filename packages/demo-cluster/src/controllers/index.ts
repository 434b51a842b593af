/**
 * The control plane that runs in every Kubernetes cluster, whether or not the simulation does:
 * garbage collection, namespace deletion and CRD status/cleanup. The store only stores; these
 * controllers do what kube-controller-manager and apiextensions-apiserver do, through the store's
 * API, asynchronously (a delete answers before dependents go, as in a real cluster).
 */
import type { MemoryStore } from "../store";
import { startCrdController } from "./crd-controller";
import { startGarbageCollector, type ControllerOptions } from "./garbage-collector";
import { startNamespaceController } from "./namespace-controller";

export type { ControllerOptions } from "./garbage-collector";

export function startControlPlane(store: MemoryStore, options: ControllerOptions): () => void {
  const stops = [
    startGarbageCollector(store, options),
    startNamespaceController(store, options),
    startCrdController(store, options),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
