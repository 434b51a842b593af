import type { Clock, ClusterStore, PodLogSource, StoreEvent } from "../types";
import { realClock } from "./clock";
import { DeploymentController } from "./deployment-controller";
import { EventRecorder } from "./event-recorder";
import { ImageCacheController } from "./image-cache-controller";
import { DEFAULT_KUBELET_TIMING, Kubelet, type KubeletTiming } from "./kubelet";
import { LogBook } from "./log-book";
import { PodScripts } from "./pod-scripts";
import { ProcessRegistry } from "./processes";
import { SeededRandom } from "@ask-ci/seeded-random";
import { ReplicaSetController } from "./replica-set-controller";
import { BuiltInGitLab, GitLabNetwork, type GitLabClient } from "./runner/gitlab-client";
import { HttpGitLab } from "./runner/http-gitlab";
import { CacheStorage } from "./runner/job-cache";
import { RunnerController, initialJobIds } from "./runner/runner-controller";

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
  kubeletTiming?: Partial<KubeletTiming>;
  /** How long Events live, as kube-apiserver's --event-ttl (default 1 h). */
  eventTtlMs?: number;
  /** How long before a spot reclaim ECI sends SpotToBeReleased (default 3 minutes, as ECI documents). */
  spotNoticeMs?: number;
  /** Where controller errors go; they never stop the simulation. */
  onError?: (error: unknown) => void;
  /** The GitLab the simulated runners talk to; by default the network (gitlab-client.ts GitLabNetwork). */
  gitlab?: GitLabClient;
}

export interface Simulation {
  logs: PodLogSource;
  /** What a pod's containers will do, keyed by pod; set it before creating the pod (tests, workloads). */
  scripts: PodScripts;
  /** Simulated container processes (the runners), as the kubelet finds them. */
  processes: ProcessRegistry;
  /** The GitLab the runners talk to. */
  gitlab: GitLabClient;
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
  const logs = new LogBook(() => clock.now());
  const scripts = new PodScripts();
  const imageCaches = new ImageCacheController(store, clock, random.fork("image-cache"), events);
  const processes = new ProcessRegistry();
  const jobsPerMinute = options.jobsPerMinute ?? DEFAULT_JOBS_PER_MINUTE;
  const gitlab =
    options.gitlab ??
    new GitLabNetwork(
      new BuiltInGitLab(clock, random.fork("gitlab"), initialJobIds(clock.now()), jobsPerMinute),
      new HttpGitLab(random.fork("gitlab-http"), onError),
    );
  const kubelet = new Kubelet({
    store,
    clock,
    random: random.fork("kubelet"),
    events,
    logs,
    scripts,
    imageCaches,
    failureRate: options.failureRate ?? 0.02,
    bestEffortEvictionRate: options.bestEffortEvictionRate,
    timing: {
      ...DEFAULT_KUBELET_TIMING,
      ...options.kubeletTiming,
      ...(options.spotNoticeMs !== undefined ? { spotNoticeMs: options.spotNoticeMs } : {}),
    },
    processes,
    onError,
  });
  const controllers: Controller[] = [
    imageCaches,
    kubelet,
    new ReplicaSetController(store, clock, random.fork("replica-set"), events, onError),
    new DeploymentController(store, clock, events, onError),
    new RunnerController({
      cacheStorage: new CacheStorage(),
      store,
      clock,
      random: random.fork("gitlab-runner"),
      events,
      logs,
      scripts,
      speed: options.speed ?? DEFAULT_SPEED,
      processes,
      kubelet,
      gitlab,
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
    processes,
    gitlab,
    stop() {
      unsubscribe();
      for (const controller of controllers) controller.stop();
      gitlab.stop();
      events.stop();
    },
  };
}
