import type { Clock, ClusterStore, PodLogSource, StoreEvent } from "../types";
import { realClock } from "./clock";
import { DeploymentController } from "./deployment-controller";
import { EventRecorder } from "./event-recorder";
import { ImageCacheController } from "./image-cache-controller";
import { Kubelet, type KubeletTiming } from "./kubelet";
import { LogBook } from "./log-book";
import { PodScripts } from "./pod-scripts";
import { SeededRandom } from "./random";
import { ReplicaSetController } from "./replica-set-controller";
import { RunnerController } from "./runner/runner-controller";

export const DEFAULT_JOBS_PER_MINUTE = 6;
export const DEFAULT_SPEED = 5;

export interface SimulationOptions {
  seed?: number;
  /** Average rate at which each runner receives jobs (Poisson arrivals). */
  jobsPerMinute?: number;
  clock?: Clock;
  /** Share of job pods that hit a random failure (image pull, stuck Pending, OOM, deleted mid-run). */
  failureRate?: number;
  /** Share of ACS best-effort job pods evicted part-way, with ACS's 5-minute notice (default 0.1). */
  bestEffortEvictionRate?: number;
  /** How many simulated job minutes pass per real minute; 5 turns 1–15 min jobs into 12 s–3 min. */
  speed?: number;
  kubeletTiming?: KubeletTiming;
  /** How long Events live, as kube-apiserver's --event-ttl (default 1 h). */
  eventTtlMs?: number;
  /** Where controller errors go; they never stop the simulation. */
  onError?: (error: unknown) => void;
}

export interface Simulation {
  logs: PodLogSource;
  /** What a pod's containers will do, keyed by pod; set it before creating the pod (tests, workloads). */
  scripts: PodScripts;
  stop(): void;
}

interface Controller {
  start(): void;
  onEvent(event: StoreEvent): void;
  stop(): void;
}

/** Starts the simulated controllers of the demo ASK cluster against a store. */
export function startSimulation(store: ClusterStore, options: SimulationOptions = {}): Simulation {
  const clock = options.clock ?? realClock;
  const random = new SeededRandom(options.seed ?? 42);
  const onError = options.onError ?? ((error: unknown) => console.error("[demo-cluster sim]", error));
  const events = new EventRecorder(store, clock, options.eventTtlMs);
  const logs = new LogBook();
  const scripts = new PodScripts();
  const imageCaches = new ImageCacheController(store, clock, random.fork("image-cache"), events);
  const controllers: Controller[] = [
    imageCaches,
    new Kubelet({
      store,
      clock,
      random: random.fork("kubelet"),
      events,
      logs,
      scripts,
      imageCaches,
      failureRate: options.failureRate ?? 0.02,
      bestEffortEvictionRate: options.bestEffortEvictionRate,
      timing: options.kubeletTiming,
      onError,
    }),
    new ReplicaSetController(store, clock, random.fork("replica-set"), events, onError),
    new DeploymentController(store, clock, events, onError),
    new RunnerController({
      store,
      clock,
      random: random.fork("gitlab-runner"),
      events,
      logs,
      scripts,
      jobsPerMinute: options.jobsPerMinute ?? DEFAULT_JOBS_PER_MINUTE,
      speed: options.speed ?? DEFAULT_SPEED,
      onError,
    }),
  ];
  const unsubscribe = store.subscribe((event) => {
    for (const controller of controllers) {
      try {
        controller.onEvent(event);
      } catch (error) {
        onError(error);
      }
    }
  });
  for (const starter of [events, ...controllers]) {
    try {
      starter.start();
    } catch (error) {
      onError(error);
    }
  }
  return {
    logs,
    scripts,
    stop() {
      unsubscribe();
      for (const controller of controllers) controller.stop();
      events.stop();
    },
  };
}
