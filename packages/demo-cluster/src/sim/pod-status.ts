import type { KubeObject } from "../types";

export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | {
      terminated: {
        exitCode: number;
        reason: string;
        startedAt?: string;
        finishedAt: string;
        message?: string;
        containerID?: string;
      };
    };

export interface ContainerRuntime {
  name: string;
  image: string;
  /** Empty until the image is pulled, as the kubelet reports it. */
  imageID: string;
  containerID?: string;
  state: ContainerState;
  lastState?: ContainerState;
  restartCount: number;
  /** Readiness as the probes last said; undefined: no readiness probe, ready while running. */
  ready?: boolean;
  /** Startup probe passed; undefined: no startup probe. */
  started?: boolean;
}

export type RestartPolicy = "Always" | "OnFailure" | "Never";

export interface PodRuntime {
  restartPolicy: RestartPolicy;
  startTime: string;
  hostIP?: string;
  podIP?: string;
  containers: ContainerRuntime[];
  /** Run one after another before the app containers; a sidecar (restartPolicy Always) keeps running. */
  initContainers: Array<ContainerRuntime & { sidecar?: boolean }>;
  /** Set once the pod is being deleted: nothing restarts any more, so the phase becomes terminal. */
  terminating?: boolean;
  /** The pod as a whole failed (DeadlineExceeded, Evicted, BidFailed, NotFound): phase Failed with this reason. */
  failure?: { reason: string; message: string };
  /** The pod is about to be deleted by a disruption (the eviction API): a DisruptionTarget condition. */
  disruption?: { reason: string; message: string };
}

interface Condition {
  type: string;
  status: "True" | "False";
  reason?: string;
  message?: string;
  lastProbeTime: null;
  lastTransitionTime: string;
}

export function restartPolicyOf(pod: KubeObject): RestartPolicy {
  const policy = (pod.spec as { restartPolicy?: string } | undefined)?.restartPolicy;
  return policy === "Never" || policy === "OnFailure" ? policy : "Always";
}

/** Init containers that have not finished (sidecars count once they run). */
function pendingInitContainers(runtime: PodRuntime): string[] {
  return runtime.initContainers
    .filter((c) => !(c.sidecar ? "running" in c.state : "terminated" in c.state && c.state.terminated.exitCode === 0))
    .map((c) => c.name);
}

export function podPhase(runtime: PodRuntime): "Pending" | "Running" | "Succeeded" | "Failed" {
  if (runtime.failure) return "Failed";
  const { containers } = runtime;
  const initFailed = runtime.initContainers.some((c) => "terminated" in c.state && c.state.terminated.exitCode !== 0);
  if (initFailed && runtime.restartPolicy === "Never") return "Failed";
  const allTerminated = containers.length > 0 && containers.every((c) => "terminated" in c.state);
  if (allTerminated && (runtime.restartPolicy !== "Always" || runtime.terminating)) {
    const allSucceeded = containers.every((c) => "terminated" in c.state && c.state.terminated.exitCode === 0);
    return allSucceeded ? "Succeeded" : "Failed";
  }
  const started = containers.some((c) => !("waiting" in c.state) || c.restartCount > 0 || c.lastState !== undefined);
  return started ? "Running" : "Pending";
}

function containerStatus(c: ContainerRuntime) {
  return {
    name: c.name,
    state: c.state,
    lastState: c.lastState ?? {},
    ready: "running" in c.state && (c.ready ?? c.started ?? true),
    restartCount: c.restartCount,
    image: c.image,
    imageID: c.imageID,
    ...(c.containerID ? { containerID: c.containerID } : {}),
    started: "running" in c.state && (c.started ?? true),
  };
}

/** The pod's .status as the kubelet would report it, keeping transition times that did not change. */
export function renderPodStatus(
  runtime: PodRuntime,
  nowIso: string,
  previous?: { conditions?: Condition[] },
): Record<string, unknown> {
  const phase = podPhase(runtime);
  const unready = runtime.containers
    .filter((c) => !("running" in c.state && (c.ready ?? c.started ?? true)))
    .map((c) => c.name);
  const completed = phase === "Succeeded" || phase === "Failed";
  const notReady = completed
    ? { reason: "PodCompleted" }
    : { reason: "ContainersNotReady", message: `containers with unready status: [${unready.join(" ")}]` };
  const since = (type: string, status: "True" | "False") => {
    const before = previous?.conditions?.find((c) => c.type === type);
    return before && before.status === status ? before.lastTransitionTime : nowIso;
  };
  const condition = (type: string, ok: boolean, whenFalse: { reason?: string; message?: string } = {}): Condition => {
    const status = ok ? "True" : "False";
    return { type, status, ...(ok ? {} : whenFalse), lastProbeTime: null, lastTransitionTime: since(type, status) };
  };
  const notInitialized = pendingInitContainers(runtime);
  const ready = unready.length === 0 && notInitialized.length === 0;
  const status: Record<string, unknown> = {
    phase,
    conditions: [
      condition("PodReadyToStartContainers", Boolean(runtime.podIP) && !completed),
      condition("Initialized", notInitialized.length === 0, {
        reason: "ContainersNotInitialized",
        message: `containers with incomplete status: [${notInitialized.join(" ")}]`,
      }),
      condition("Ready", ready, notReady),
      condition("ContainersReady", ready, notReady),
      condition("PodScheduled", true),
      ...(runtime.disruption
        ? [
            {
              type: "DisruptionTarget",
              status: "True" as const,
              ...runtime.disruption,
              lastProbeTime: null,
              lastTransitionTime: since("DisruptionTarget", "True"),
            },
          ]
        : []),
    ],
    startTime: runtime.startTime,
    containerStatuses: runtime.containers.map(containerStatus),
  };
  if (runtime.initContainers.length > 0) status.initContainerStatuses = runtime.initContainers.map(containerStatus);
  if (runtime.hostIP) {
    status.hostIP = runtime.hostIP;
    status.hostIPs = [{ ip: runtime.hostIP }];
  }
  if (runtime.podIP) {
    status.podIP = runtime.podIP;
    status.podIPs = [{ ip: runtime.podIP }];
  }
  if (runtime.failure) {
    status.reason = runtime.failure.reason;
    status.message = runtime.failure.message;
  }
  return status;
}

type Resources = { requests?: Record<string, unknown>; limits?: Record<string, unknown> };

/** Guaranteed when every container's cpu and memory limits equal its requests; BestEffort when nothing is set. */
export function qosClass(pod: KubeObject): "Guaranteed" | "Burstable" | "BestEffort" {
  const containers = (pod.spec as { containers?: Array<{ resources?: Resources }> } | undefined)?.containers ?? [];
  const anySet = containers.some(
    (c) => Object.keys(c.resources?.requests ?? {}).length + Object.keys(c.resources?.limits ?? {}).length > 0,
  );
  if (!anySet) return "BestEffort";
  const guaranteed = containers.every((c) =>
    ["cpu", "memory"].every((resource) => {
      const limit = c.resources?.limits?.[resource];
      const request = c.resources?.requests?.[resource] ?? limit;
      return limit !== undefined && String(limit) === String(request);
    }),
  );
  return guaranteed ? "Guaranteed" : "Burstable";
}

type ContainerList = "containers" | "initContainers";

function specContainers(
  pod: KubeObject,
  list: ContainerList,
): Array<{ name: string; image: string; restartPolicy?: string }> {
  const containers =
    (
      pod.spec as
        Record<ContainerList, Array<{ name?: string; image?: string; restartPolicy?: string }> | undefined> | undefined
    )?.[list] ?? [];
  return containers.map((c, i) => ({
    name: c.name ?? `container-${i}`,
    image: c.image ?? "",
    restartPolicy: c.restartPolicy,
  }));
}

/** Containers as the kubelet first reports them: app containers wait on init containers when there are any. */
export function freshContainers(pod: KubeObject): Pick<PodRuntime, "containers" | "initContainers"> {
  const waiting = (reason: string) => ({ imageID: "", state: { waiting: { reason } }, restartCount: 0 });
  const initContainers = specContainers(pod, "initContainers").map((c) => ({
    name: c.name,
    image: c.image,
    ...waiting("PodInitializing"),
    ...(c.restartPolicy === "Always" ? { sidecar: true } : {}),
  }));
  const appReason = initContainers.length ? "PodInitializing" : "ContainerCreating";
  const containers = specContainers(pod, "containers").map((c) => ({
    name: c.name,
    image: c.image,
    ...waiting(appReason),
  }));
  return { containers, initContainers };
}

export function containersFromStatus(pod: KubeObject): Pick<PodRuntime, "containers" | "initContainers"> {
  const status = (pod.status ?? {}) as Record<
    "containerStatuses" | "initContainerStatuses",
    Array<Partial<ContainerRuntime>> | undefined
  >;
  const merge = <T extends ContainerRuntime>(fresh: T[], statuses: Array<Partial<ContainerRuntime>> = []): T[] =>
    fresh.map((container) => {
      const reported = statuses.find((s) => s.name === container.name);
      if (!reported?.state) return container;
      return {
        ...container,
        imageID: reported.imageID ?? "",
        containerID: reported.containerID,
        state: reported.state,
        restartCount: reported.restartCount ?? 0,
      };
    });
  const fresh = freshContainers(pod);
  return {
    containers: merge(fresh.containers, status.containerStatuses),
    initContainers: merge(fresh.initContainers, status.initContainerStatuses),
  };
}
