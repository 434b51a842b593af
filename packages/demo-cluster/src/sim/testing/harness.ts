import type { KubeObject } from "../../types";
import { ManualClock } from "../clock";
import { startSimulation, type SimulationOptions } from "../index";
import { EVENT, POD } from "../kinds";
import { startControlPlane } from "../../controllers";
import { seedCluster } from "../../seed";
import { MemoryStore } from "../../store";

/** The demo cluster's real in-memory store, seeded like a fresh ASK cluster (namespaces, node, ImageCache CRD). */
export function newClusterStore(clock: ManualClock, options: { gracefulDeletionMaxMs?: number } = {}): MemoryStore {
  const store = new MemoryStore({ clock, ...options });
  seedCluster(store, "");
  return store;
}

/** A simulation on the real store and a manual clock; errors fail the test instead of being logged. */
export function simulate(options: Omit<SimulationOptions, "clock" | "onError"> = {}) {
  const clock = new ManualClock();
  // As startDemoCluster with the simulation: the kubelet, not a store timeout, ends graceful deletions.
  const store = newClusterStore(clock, { gracefulDeletionMaxMs: Infinity });
  const errors: unknown[] = [];
  startControlPlane(store, { clock, onError: (e) => errors.push(e) });
  const sim = startSimulation(store, {
    failureRate: 0,
    bestEffortEvictionRate: 0,
    jobsPerMinute: 0,
    ...options,
    clock,
    onError: (e) => errors.push(e),
  });
  return {
    clock,
    store,
    sim,
    errors,
    pod: (name: string, namespace = "default") => store.get(POD, namespace, name),
    phase: (name: string, namespace = "default") =>
      (store.get(POD, namespace, name)?.status as { phase?: string } | undefined)?.phase,
    eventsFor: (name: string) =>
      store
        .list(EVENT)
        .filter((e) => (e.involvedObject as { name: string }).name === name)
        .map((e) => e as KubeObject & { reason: string; message: string; type: string; count: number }),
  };
}

export function podManifest(
  name: string,
  overrides: {
    annotations?: Record<string, string>;
    spec?: Record<string, unknown>;
    labels?: Record<string, string>;
  } = {},
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", labels: overrides.labels, annotations: overrides.annotations },
    spec: { containers: [{ name: "main", image: "busybox:1.36" }], restartPolicy: "Never", ...overrides.spec },
  };
}

export function containerStatus(pod: KubeObject | undefined, container: string) {
  const statuses = (
    pod?.status as { containerStatuses?: Array<Record<string, unknown> & { name: string }> } | undefined
  )?.containerStatuses;
  return statuses?.find((s) => s.name === container) as
    | {
        state: Record<string, Record<string, unknown>>;
        lastState: Record<string, Record<string, unknown>>;
        restartCount: number;
        ready: boolean;
        imageID: string;
      }
    | undefined;
}
