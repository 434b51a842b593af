import type { KubeObject, StoreEvent } from "../types";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import { formatEciInstanceSpec, resolvePodSpec, type PodLike } from "@ask-ci/billing/eci/specs";
import { ACS_ANNOTATIONS } from "@ask-ci/billing/acs/labels";
import { formatPodUseSpec, resolveAcsPodSpec } from "@ask-ci/billing/acs/specs";
import { podPlacement } from "@ask-ci/billing/placement";
import type { SimContext } from "./context";
import type { EventSpec } from "./event-recorder";
import type { ImageCacheController } from "./image-cache-controller";
import { imageIdFor, normalizeImageRef } from "./image-ref";
import { NODE, POD, VIRTUAL_NODE_NAME, isKind, objectKey } from "./kinds";
import { FAILURE_MODES, FAIL_ANNOTATION, decideFate, isMissingImage, type PodFate } from "./pod-fate";
import {
  describeProbe,
  probeTiming,
  type ProbeAnswer,
  type ProbeKind,
  type ProbeSpec,
  type ProcessRegistry,
} from "./processes";
import type { ContainerScript } from "./pod-scripts";
import {
  containersFromStatus,
  freshContainers,
  podPhase,
  qosClass,
  renderPodStatus,
  restartPolicyOf,
  type ContainerRuntime,
  type PodRuntime,
} from "./pod-status";
import { deleteQuietly, mutate } from "./store-writes";
import { k8sTime } from "./time";
import { WorkQueue } from "./work-queue";

export const ECI_INSTANCE_ID = "k8s.aliyun.com/eci-instance-id";
const SPOT_STRATEGIES = new Set(["SpotAsPriceGo", "SpotWithPriceLimit"]);
// ACS best-effort: "You receive an event notification 5 minutes before eviction" (acs-pod-instance-overview).
const BEST_EFFORT_WARNING_MS = 5 * 60_000;
/** ACS gives every pod 30 GiB of ephemeral storage free and writes it as pod-ephemeral-storage. */
const ACS_FREE_EPHEMERAL_STORAGE = "30Gi";
export const DEFAULT_BEST_EFFORT_EVICTION_RATE = 0.1;
const NODE_STATUS_INTERVAL_MS = 60_000;
/** A container that handles SIGTERM stops within this long of it (then exit 143). */
const SIGTERM_EXIT_MS: Range = [200, 2000];

type Range = [number, number];

export interface KubeletTiming {
  /** Whole-pod image pull time when an ImageCache (or the eci-image-cache annotation) applies. */
  cachedPullMs: Range;
  uncachedPullMs: Range;
  /** How long a restartPolicy Never/OnFailure pod without a workload script runs. */
  batchRunMs: Range;
  /** How long a "crash" container runs before exiting 1. */
  crashAfterMs: Range;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long before reclaiming a spot instance ECI sends SpotToBeReleased (its docs: about 3 minutes). */
  spotNoticeMs: number;
}

export const DEFAULT_KUBELET_TIMING: KubeletTiming = {
  cachedPullMs: [2000, 5000],
  uncachedPullMs: [20_000, 40_000],
  batchRunMs: [5000, 30_000],
  crashAfterMs: [2000, 8000],
  backoffBaseMs: 10_000,
  backoffMaxMs: 300_000,
  spotNoticeMs: 3 * 60_000,
};

interface TrackedPod {
  uid: string;
  namespace: string;
  name: string;
  runtime: PodRuntime;
  fate: PodFate;
  stage: "pending" | "running" | "finished" | "terminating";
  /** Runs on a preemptible (spot) ECI instance, which is what gets reclaimed mid-run. */
  spot: boolean;
  /** Runs on ACS at the best-effort QoS, which ACS may evict with 5 minutes' notice. */
  bestEffort: boolean;
  timers: Set<() => void>;
  statusWriteQueued: boolean;
  /** Probes and ports of each app container, from the spec. */
  specs: Map<string, ContainerSpecInfo>;
  /** Bumped whenever a container (re)starts or stops, so its old probe loop ends. */
  generation: Map<string, number>;
  /** The fate annotation as last seen, to notice one added to a running pod. */
  failAnnotation?: string;
}

interface ContainerSpecInfo {
  startupProbe?: ProbeSpec;
  readinessProbe?: ProbeSpec;
  livenessProbe?: ProbeSpec;
  ports: Record<string, number>;
}

export interface KubeletDeps extends SimContext {
  imageCaches: ImageCacheController;
  failureRate: number;
  /** Share of ACS best-effort batch pods evicted part-way (default DEFAULT_BEST_EFFORT_EVICTION_RATE). */
  bestEffortEvictionRate?: number;
  timing?: KubeletTiming;
  /** Processes workloads simulate: they answer probes and hear about stops. Without it every probe is "not simulated". */
  processes?: ProcessRegistry;
}

/**
 * The scheduler and virtual kubelet of the ECI virtual node: binds new pods to the node, stamps
 * the ECI annotations ASK adds, pulls images, runs containers per their script, and finishes
 * graceful deletions. All state changes are driven by timers on the injected clock.
 */
export class Kubelet {
  private readonly pods = new Map<string, TrackedPod>();
  private readonly queue: WorkQueue;
  private readonly timing: KubeletTiming;
  private cancelHeartbeat?: () => void;

  constructor(private readonly deps: KubeletDeps) {
    this.timing = deps.timing ?? DEFAULT_KUBELET_TIMING;
    this.queue = new WorkQueue(deps.clock, (key) => this.sync(key), deps.onError);
  }

  start(): void {
    for (const pod of this.deps.store.list(POD)) this.queue.add(objectKey(pod));
    this.heartbeat();
  }

  onEvent(event: StoreEvent): void {
    if (isKind(event.object, POD)) this.queue.add(objectKey(event.object));
  }

  stop(): void {
    this.cancelHeartbeat?.();
    this.queue.stop();
    for (const tracked of this.pods.values()) this.cancelTimers(tracked);
    this.pods.clear();
  }

  /** Keeps the virtual node's condition heartbeats fresh, as its kubelet reports node status. */
  private heartbeat(): void {
    const now = k8sTime(this.deps.clock.now());
    mutate(
      this.deps.store,
      NODE,
      undefined,
      VIRTUAL_NODE_NAME,
      (node) => {
        const conditions = (node.status as { conditions?: Array<Record<string, unknown>> } | undefined)?.conditions;
        if (!conditions?.length) return false;
        for (const condition of conditions) condition.lastHeartbeatTime = now;
      },
      { status: true },
    );
    this.cancelHeartbeat = this.deps.clock.setTimeout(() => this.heartbeat(), NODE_STATUS_INTERVAL_MS);
  }

  private sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const pod = this.deps.store.get(POD, namespace, name);
    let tracked = this.pods.get(key);
    if (tracked && tracked.uid !== pod?.metadata.uid) {
      this.forget(key, tracked);
      tracked = undefined;
    }
    if (!pod) {
      // Gone before we tracked it: drop what a workload may have prepared for it.
      this.deps.scripts.forget(namespace, name);
      return;
    }
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (nodeName && nodeName !== VIRTUAL_NODE_NAME) return;
    if (pod.metadata.deletionTimestamp) {
      this.terminate(key, pod, tracked);
      return;
    }
    if (tracked) {
      this.noticeFailAnnotation(tracked, pod);
      return;
    }
    // A pod created with nodeName already set still needs the ECI (or ACS) annotations.
    const annotations = pod.metadata.annotations ?? {};
    if (!nodeName || !(annotations[ECI_INSTANCE_ID] || annotations[ACS_ANNOTATIONS.instanceId]))
      this.schedule(key, pod);
    else this.adopt(key, pod);
  }

  private schedule(key: string, pod: KubeObject): void {
    const { random } = this.deps;
    const provider = this.provide(pod as PodLike);
    // Neither ECI nor ACS creates an instance larger than it offers: the pod never starts.
    let fate: PodFate = provider.unsupported ? "stuck-pending" : decideFate(pod, random, this.deps.failureRate);
    if (fate === "normal" && provider.bestEffort && isBatch(pod) && random.chance(this.bestEffortEvictionRate())) {
      fate = "killed";
    }
    const annotations = provider.annotations();
    const ip = `172.16.${random.int(0, 255)}.${random.int(2, 254)}`;
    const tracked = this.track(key, pod, fate, freshContainers(pod), ip);
    const scheduled = mutate(
      this.deps.store,
      POD,
      tracked.namespace,
      tracked.name,
      (p) => {
        (p.spec as Record<string, unknown>).nodeName = VIRTUAL_NODE_NAME;
        if (provider.unsupported) return;
        p.metadata.annotations = { ...p.metadata.annotations, ...annotations };
      },
      { uid: tracked.uid },
    );
    if (!scheduled) {
      this.forget(key, tracked);
      return;
    }
    this.writeStatus(tracked);
    this.scheduleDeadline(tracked, scheduled);
    this.deps.events.record(scheduled, {
      type: "Normal",
      reason: "Scheduled",
      message: `Successfully assigned ${tracked.namespace}/${tracked.name} to ${VIRTUAL_NODE_NAME}`,
      component: "default-scheduler",
    });
    if (provider.unsupported) {
      this.record(tracked, {
        type: "Warning",
        reason: "ProviderCreateFailed",
        message: `Create ${provider.product} instance failed: ${provider.unsupported}`,
        component: provider.component,
      });
    }
    if (fate !== "stuck-pending") this.beginPulls(tracked, scheduled);
  }

  private bestEffortEvictionRate(): number {
    return this.deps.bestEffortEvictionRate ?? DEFAULT_BEST_EFFORT_EVICTION_RATE;
  }

  /**
   * Which product creates the pod's instance, and what it writes onto the pod. A pod labelled for ACS
   * (alibabacloud.com/acs: "true" or a compute-class) gets ACS's normalised spec in pod-use-spec, an
   * acs- instance id and the free ephemeral storage; any other pod goes to ECI, as on ASK.
   */
  private provide(pod: PodLike): {
    product: "ECI" | "ACS";
    component: string;
    /** Drawn after the pod's fate, so the seeded sequence of ECI pods stays what it was. */
    annotations: () => Record<string, string>;
    unsupported?: string;
    bestEffort: boolean;
  } {
    const { random } = this.deps;
    const { placement } = podPlacement(pod, "eci");
    if (placement.backend === "acs") {
      const resolved = resolveAcsPodSpec(pod, placement.computeClass);
      return {
        product: "ACS",
        component: "AcsService",
        unsupported: resolved.unsupported,
        bestEffort: placement.qos === "best-effort",
        annotations: () => ({
          [ACS_ANNOTATIONS.podUseSpec]: formatPodUseSpec(resolved.billed),
          [ACS_ANNOTATIONS.instanceId]: `acs-${random.string(20)}`,
          [ACS_ANNOTATIONS.ephemeralStorage]: ACS_FREE_EPHEMERAL_STORAGE,
        }),
      };
    }
    const resolved = resolvePodSpec(pod);
    const billed = resolved.billed;
    return {
      product: "ECI",
      component: "EciService",
      unsupported: resolved.unsupported,
      bestEffort: false,
      annotations: () => ({
        [ECI_INSTANCE_ID]: `eci-bp1${random.string(17)}`,
        [ECI_ANNOTATIONS.instanceSpec]: formatEciInstanceSpec(billed),
        [ECI_ANNOTATIONS.instanceCpu]: billed.vcpu.toFixed(3),
        [ECI_ANNOTATIONS.instanceMemory]: billed.memoryGiB.toFixed(2),
      }),
    };
  }

  /** A pod already on our node when the simulation starts (e.g. restored state): pick it up where it is. */
  private adopt(key: string, pod: KubeObject): void {
    const status = (pod.status ?? {}) as { phase?: string; podIP?: string; startTime?: string };
    // Only annotated or image-implied failures carry over; random ones were drawn before the restart.
    const fate = decideFate(pod, this.deps.random, 0);
    const tracked = this.track(key, pod, fate, freshContainers(pod), status.podIP);
    if (status.startTime) tracked.runtime.startTime = status.startTime;
    if (status.phase === "Succeeded" || status.phase === "Failed") {
      Object.assign(tracked.runtime, containersFromStatus(pod));
      const { reason, message } = pod.status as { reason?: string; message?: string };
      if (reason) tracked.runtime.failure = { reason, message: message ?? "" };
      tracked.stage = "finished";
      return;
    }
    this.scheduleDeadline(tracked, pod);
    if (status.phase === "Running") {
      tracked.runtime.initContainers = containersFromStatus(pod).initContainers;
      this.startContainers(tracked, pod, { emitEvents: false });
      return;
    }
    if (fate !== "stuck-pending") this.beginPulls(tracked, pod);
  }

  private track(
    key: string,
    pod: KubeObject,
    fate: PodFate,
    containers: Pick<PodRuntime, "containers" | "initContainers">,
    ip?: string,
  ): TrackedPod {
    const tracked: TrackedPod = {
      uid: pod.metadata.uid ?? "",
      namespace: pod.metadata.namespace ?? "default",
      name: pod.metadata.name,
      runtime: {
        restartPolicy: restartPolicyOf(pod),
        startTime: k8sTime(this.deps.clock.now()),
        hostIP: ip,
        podIP: ip,
        ...containers,
      },
      fate,
      stage: "pending",
      spot: SPOT_STRATEGIES.has(pod.metadata.annotations?.[ECI_ANNOTATIONS.spotStrategy] ?? ""),
      bestEffort: isBestEffortAcs(pod),
      timers: new Set(),
      statusWriteQueued: false,
      specs: containerSpecs(pod),
      generation: new Map(),
      failAnnotation: pod.metadata.annotations?.[FAIL_ANNOTATION],
    };
    this.pods.set(key, tracked);
    return tracked;
  }

  private beginPulls(tracked: TrackedPod, pod: KubeObject): void {
    const { imageCaches, random } = this.deps;
    const containers = [...tracked.runtime.initContainers, ...tracked.runtime.containers];
    const annotated = pod.metadata.annotations?.[ECI_ANNOTATIONS.imageCache] === "true";
    const images = containers.map((c) => c.image);
    const cached = annotated || images.every((image) => imageCaches.covers(image));
    const cacheId = cached ? imageCaches.cacheIdFor(images) : undefined;
    if (cacheId) {
      this.record(tracked, {
        type: "Normal",
        reason: "SuccessfulHitImageCache",
        message: `[eci.imagecache]Successfully hit image cache ${cacheId}, eci will be scheduled with this image cache.`,
        component: "EciService",
      });
    }
    const cachedTotal = random.between(...this.timing.cachedPullMs);
    const uncachedTotal = random.between(...this.timing.uncachedPullMs);
    // Each image takes its own share of the pod's pull time, so the Pulled events differ.
    const weights = containers.map(() => random.between(0.5, 1.5));
    const weightSum = weights.reduce((a, b) => a + b, 0);
    const pullMs = containers.map((c, i) =>
      Math.round(((annotated || imageCaches.covers(c.image) ? cachedTotal : uncachedTotal) * weights[i]) / weightSum),
    );
    this.pullNext(tracked, 0, pullMs);
  }

  /** Pulls images in pod order: each init container is pulled and run to completion before the next. */
  private pullNext(tracked: TrackedPod, index: number, pullMs: number[]): void {
    const { initContainers, containers } = tracked.runtime;
    const all = [...initContainers, ...containers];
    if (index >= all.length) {
      const pod = this.deps.store.get(POD, tracked.namespace, tracked.name);
      if (pod) this.startContainers(tracked, pod, { emitEvents: true });
      return;
    }
    const container = all[index];
    const isInit = index < initContainers.length;
    if (isMissingImage(container.image) || (tracked.fate === "image-pull" && index === initContainers.length)) {
      this.failPull(tracked, container, 0);
      return;
    }
    this.record(
      tracked,
      kubeletEvent("Normal", "Pulling", `Pulling image "${container.image}"`, container.name, isInit),
    );
    this.after(tracked, pullMs[index], () => {
      container.imageID = imageIdFor(container.image, this.deps.random.hex(64));
      const seconds = (pullMs[index] / 1000).toFixed(3);
      const size = this.deps.random.int(20_000_000, 900_000_000);
      this.record(
        tracked,
        kubeletEvent(
          "Normal",
          "Pulled",
          `Successfully pulled image "${container.image}" in ${seconds}s (${seconds}s including waiting). Image size: ${size} bytes.`,
          container.name,
          isInit,
        ),
      );
      const next = () => this.pullNext(tracked, index + 1, pullMs);
      if (isInit) this.runInitContainer(tracked, initContainers[index], next);
      else next();
    });
  }

  private runInitContainer(
    tracked: TrackedPod,
    container: PodRuntime["initContainers"][number],
    then: () => void,
  ): void {
    this.startContainer(tracked, container, true);
    this.queueStatusWrite(tracked);
    const plan = this.deps.scripts.get(tracked.namespace, tracked.name)?.[container.name] ?? {
      runMs: Math.round(this.deps.random.between(500, 2000)),
      exitCode: 0,
      lines: [],
    };
    this.writeLines(tracked, container, plan.lines);
    if (container.sidecar) {
      then();
      return;
    }
    this.after(tracked, plan.runMs ?? 1000, () => {
      if (!("running" in container.state)) return;
      container.state = {
        terminated: {
          exitCode: plan.exitCode,
          reason: plan.exitCode === 0 ? "Completed" : "Error",
          startedAt: container.state.running.startedAt,
          finishedAt: k8sTime(this.deps.clock.now()),
          containerID: container.containerID,
        },
      };
      this.deps.logs.end(tracked.namespace, tracked.name, container.name);
      this.queueStatusWrite(tracked);
      // A failed init container stops the pod here (restarting it is left out of the simulation).
      if (plan.exitCode === 0) then();
    });
  }

  private startContainer(tracked: TrackedPod, container: ContainerRuntime, isInit = false): void {
    container.state = { running: { startedAt: k8sTime(this.deps.clock.now()) } };
    container.containerID = `containerd://${this.deps.random.hex(64)}`;
    this.deps.logs.restart(tracked.namespace, tracked.name, container.name);
    if (!isInit) {
      this.deps.processes?.containerStarted({
        namespace: tracked.namespace,
        pod: tracked.name,
        container: container.name,
        containerId: container.containerID,
      });
      this.startProbes(tracked, container);
    }
    this.record(
      tracked,
      kubeletEvent("Normal", "Created", `Created container: ${container.name}`, container.name, isInit),
    );
    this.record(
      tracked,
      kubeletEvent("Normal", "Started", `Started container ${container.name}`, container.name, isInit),
    );
  }

  private failPull(tracked: TrackedPod, container: ContainerRuntime, attempt: number): void {
    const image = container.image;
    const ref = normalizeImageRef(image);
    const isInit = tracked.runtime.initContainers.includes(container);
    this.record(tracked, kubeletEvent("Normal", "Pulling", `Pulling image "${image}"`, container.name, isInit));
    this.after(tracked, Math.round(this.deps.random.between(1000, 3000)), () => {
      const message = isMissingImage(image)
        ? `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`
        : `Failed to pull image "${image}": rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to copy: httpReadSeeker: failed open: failed to do request: dial tcp: i/o timeout`;
      this.record(tracked, kubeletEvent("Warning", "Failed", message, container.name, isInit));
      this.record(tracked, kubeletEvent("Warning", "Failed", "Error: ErrImagePull", container.name, isInit));
      container.state = { waiting: { reason: "ErrImagePull", message } };
      this.queueStatusWrite(tracked);
      this.after(tracked, 1000, () => {
        const backOff = `Back-off pulling image "${image}"`;
        container.state = { waiting: { reason: "ImagePullBackOff", message: backOff } };
        this.queueStatusWrite(tracked);
        this.record(tracked, kubeletEvent("Normal", "BackOff", backOff, container.name, isInit));
        this.record(tracked, kubeletEvent("Warning", "Failed", "Error: ImagePullBackOff", container.name, isInit));
        this.after(tracked, this.backoffMs(attempt), () => this.failPull(tracked, container, attempt + 1));
      });
    });
  }

  private startContainers(tracked: TrackedPod, pod: KubeObject, options: { emitEvents: boolean }): void {
    const now = this.deps.clock.now();
    const previous = containersFromStatus(pod).containers;
    for (const container of tracked.runtime.containers) {
      const before = previous.find((c) => c.name === container.name);
      container.imageID ||= before?.imageID || imageIdFor(container.image, this.deps.random.hex(64));
      if (options.emitEvents) {
        this.startContainer(tracked, container);
        continue;
      }
      // Adopted after a restart: the container keeps the start time it had.
      const startedAt = before && "running" in before.state ? before.state.running.startedAt : k8sTime(now);
      container.state = { running: { startedAt } };
      container.containerID = before?.containerID ?? `containerd://${this.deps.random.hex(64)}`;
      this.deps.logs.restart(tracked.namespace, tracked.name, container.name);
      this.deps.processes?.containerStarted({
        namespace: tracked.namespace,
        pod: tracked.name,
        container: container.name,
        containerId: container.containerID,
      });
      this.startProbes(tracked, container);
    }
    tracked.stage = "running";
    this.queueStatusWrite(tracked);
    this.runScripts(tracked);
  }

  private runScripts(tracked: TrackedPod): void {
    const { random } = this.deps;
    const script = this.deps.scripts.get(tracked.namespace, tracked.name);
    const batch = tracked.runtime.restartPolicy !== "Always";
    const defaultRunMs = batch ? Math.round(random.between(...this.timing.batchRunMs)) : undefined;
    let longestRunMs = 0;
    for (const container of tracked.runtime.containers) {
      const plan: ContainerScript = script?.[container.name] ?? { runMs: defaultRunMs, exitCode: 0, lines: [] };
      this.writeLines(tracked, container, plan.lines);
      if (plan.runMs !== undefined) {
        longestRunMs = Math.max(longestRunMs, plan.runMs);
        this.after(tracked, plan.runMs, () => this.exitContainer(tracked, container, plan.exitCode));
      } else if (plan.expectedMs !== undefined) longestRunMs = Math.max(longestRunMs, plan.expectedMs);
    }
    this.applyFate(tracked, longestRunMs);
  }

  private applyFate(tracked: TrackedPod, runMs: number): void {
    const { random } = this.deps;
    const partWay = () => Math.round(runMs > 0 ? runMs * random.between(0.3, 0.8) : random.between(5000, 20_000));
    if (tracked.fate === "crash") {
      this.after(tracked, Math.round(random.between(...this.timing.crashAfterMs)), () => this.strike(tracked, "crash"));
    } else if (tracked.fate === "killed" && tracked.bestEffort) {
      // ACS notifies before it evicts a best-effort pod; strike() sends the notice now.
      this.after(tracked, Math.max(0, partWay() - BEST_EFFORT_WARNING_MS), () => this.strike(tracked, "killed"));
    } else if (tracked.fate === "killed" && tracked.spot) {
      // ECI warns before it reclaims a spot instance; strike() sends the warning now.
      this.after(tracked, Math.max(0, partWay() - this.timing.spotNoticeMs), () => this.strike(tracked, "killed"));
    } else if (tracked.fate === "oom" || tracked.fate === "killed" || tracked.fate === "evicted") {
      const fate = tracked.fate;
      this.after(tracked, partWay(), () => this.strike(tracked, fate));
    }
  }

  /** A fate annotation put on a pod that is already running strikes now. */
  private noticeFailAnnotation(tracked: TrackedPod, pod: KubeObject): void {
    const requested = pod.metadata.annotations?.[FAIL_ANNOTATION];
    if (requested === tracked.failAnnotation) return;
    tracked.failAnnotation = requested;
    if (tracked.stage !== "running" || !requested || !(FAILURE_MODES as readonly string[]).includes(requested)) return;
    tracked.fate = requested as PodFate;
    this.after(tracked, 0, () => this.strike(tracked, requested as PodFate));
  }

  /** What each failure does to a running pod. */
  private strike(tracked: TrackedPod, fate: PodFate): void {
    if (tracked.stage !== "running") return;
    const main = tracked.runtime.containers[0];
    switch (fate) {
      case "oom":
        // The kernel kills the container's process; the others keep running.
        if (main) this.exitContainer(tracked, main, 137, "OOMKilled");
        break;
      case "crash":
        if (main) this.crash(tracked, main);
        break;
      case "evicted":
        // ECI evicts a pod whose temporary storage outgrows its instance (the kubelet's wording).
        this.failPod(
          tracked,
          "Evicted",
          "Pod ephemeral local storage usage exceeds the total limit of containers 30Gi. ",
        );
        break;
      case "killed":
        if (tracked.bestEffort) this.evictBestEffort(tracked);
        else if (tracked.spot) this.reclaimSpot(tracked);
        else this.loseInstance(tracked);
        break;
    }
  }

  /**
   * A spot instance's reclaim: SpotToBeReleased first (ECI: about 3 minutes ahead), then the
   * instance is released and the pod kept as Failed with reason BidFailed (ACK "Run Jobs using
   * spot ECI instances": "The original Pod is retained with a BidFailed status").
   */
  private reclaimSpot(tracked: TrackedPod): void {
    const minutes = Math.max(1, Math.round(this.timing.spotNoticeMs / 60_000));
    this.record(tracked, {
      type: "Warning",
      reason: "SpotToBeReleased",
      message: `Spot ECI will be released in ${minutes} minutes`,
      component: "EciService",
    });
    this.after(tracked, this.timing.spotNoticeMs, () =>
      this.failPod(tracked, "BidFailed", "The spot instance was released because of the market price or stock."),
    );
  }

  /**
   * An ACS best-effort pod's eviction: a notice 5 minutes ahead (ACS documents the notice, not its
   * reason or wording: ours are an assumption, see the package README), then the pod is evicted as
   * the eviction API does it: a DisruptionTarget condition, then a graceful deletion. The runner's
   * pod watcher fails the job on that condition; the monitor records the pod as Vanished (Evicted).
   */
  private evictBestEffort(tracked: TrackedPod): void {
    this.record(tracked, {
      type: "Warning",
      reason: "BestEffortPodToBeEvicted",
      message: "ACS best-effort pod will be evicted in 5 minutes",
      component: "AcsService",
    });
    this.after(tracked, BEST_EFFORT_WARNING_MS, () => {
      tracked.runtime.disruption = { reason: "EvictionByEvictionAPI", message: "Eviction API: evicting" };
      this.writeStatus(tracked);
      deleteQuietly(this.deps.store, POD, tracked.namespace, tracked.name);
    });
  }

  /**
   * The ECI instance disappeared under the pod (deleted outside Kubernetes, or lost): the virtual
   * kubelet marks the pod Failed with reason NotFound and exit code -137 (virtual-kubelet
   * node/pod.go, which ASK's virtual node builds on).
   */
  private loseInstance(tracked: TrackedPod): void {
    const now = k8sTime(this.deps.clock.now());
    for (const container of tracked.runtime.containers) {
      if (!("running" in container.state)) continue;
      container.state = {
        terminated: {
          exitCode: -137,
          reason: "NotFound",
          message: "Container was not found and was likely deleted",
          startedAt: container.state.running.startedAt,
          finishedAt: now,
          containerID: container.containerID,
        },
      };
      this.stopContainer(tracked, container);
    }
    this.failPod(tracked, "NotFound", "The pod status was not found and may have been deleted from the provider");
  }

  /** The pod as a whole fails: every container still running is killed, the phase becomes Failed. */
  private failPod(tracked: TrackedPod, reason: string, message: string): void {
    if (tracked.stage !== "running" && tracked.stage !== "pending") return;
    const now = k8sTime(this.deps.clock.now());
    for (const container of [...tracked.runtime.initContainers, ...tracked.runtime.containers]) {
      if ("running" in container.state) {
        container.state = {
          terminated: {
            exitCode: 137,
            reason: "Error",
            startedAt: container.state.running.startedAt,
            finishedAt: now,
            containerID: container.containerID,
          },
        };
        this.stopContainer(tracked, container);
      } else if ("waiting" in container.state) {
        container.state = { terminated: { exitCode: 137, reason: "ContainerStatusUnknown", finishedAt: now } };
      }
    }
    tracked.runtime.failure = { reason, message };
    tracked.stage = "finished";
    this.cancelTimers(tracked);
    this.writeStatus(tracked);
    if (reason === "DeadlineExceeded" || reason === "Evicted") {
      this.record(tracked, { type: "Warning", reason, message, component: "kubelet", host: VIRTUAL_NODE_NAME });
    }
  }

  /**
   * activeDeadlineSeconds, counted from status.startTime as the kubelet does: past it the pod is
   * marked Failed with reason DeadlineExceeded and its containers are killed.
   */
  private scheduleDeadline(tracked: TrackedPod, pod: KubeObject): void {
    const seconds = (pod.spec as { activeDeadlineSeconds?: number } | undefined)?.activeDeadlineSeconds;
    if (seconds === undefined || seconds <= 0) return;
    const startedAt = Date.parse(tracked.runtime.startTime);
    const due = startedAt + seconds * 1000 - this.deps.clock.now();
    this.after(tracked, due, () =>
      this.failPod(tracked, "DeadlineExceeded", "Pod was active on the node longer than the specified deadline"),
    );
  }

  /** Writes each line when its time comes, with one pending timer per container at a time. */
  private writeLines(tracked: TrackedPod, container: ContainerRuntime, lines: ContainerScript["lines"]): void {
    if (lines.length === 0) return;
    const startedAt = this.deps.clock.now();
    const emitDue = (index: number): void => {
      if (!("running" in container.state)) return;
      const elapsed = this.deps.clock.now() - startedAt;
      let i = index;
      while (i < lines.length && lines[i].atMs <= elapsed) {
        this.deps.logs.append(tracked.namespace, tracked.name, container.name, lines[i].line);
        i++;
      }
      if (i < lines.length) this.after(tracked, lines[i].atMs - elapsed, () => emitDue(i));
    };
    this.after(tracked, 0, () => emitDue(0));
  }

  private exitContainer(tracked: TrackedPod, container: ContainerRuntime, exitCode: number, reason?: string): void {
    if (!("running" in container.state)) return;
    const now = this.deps.clock.now();
    container.state = {
      terminated: {
        exitCode,
        reason: reason ?? (exitCode === 0 ? "Completed" : "Error"),
        startedAt: container.state.running.startedAt,
        finishedAt: k8sTime(now),
        containerID: container.containerID,
      },
    };
    this.stopContainer(tracked, container);
    const policy = tracked.runtime.restartPolicy;
    if (policy === "Always" || (policy === "OnFailure" && exitCode !== 0)) {
      this.restartLater(tracked, container);
      return;
    }
    if (podPhase(tracked.runtime) !== "Running" && podPhase(tracked.runtime) !== "Pending") tracked.stage = "finished";
    this.queueStatusWrite(tracked);
  }

  private crash(tracked: TrackedPod, container: ContainerRuntime): void {
    if ("running" in container.state) {
      this.deps.logs.append(
        tracked.namespace,
        tracked.name,
        container.name,
        `fatal: simulated crash (${FAIL_ANNOTATION}: crash), exiting with status 1`,
      );
    }
    this.exitContainer(tracked, container, 1);
  }

  private restartLater(tracked: TrackedPod, container: ContainerRuntime): void {
    const delay = this.backoffMs(container.restartCount);
    const pod = `${tracked.name}_${tracked.namespace}(${tracked.uid})`;
    container.lastState = container.state;
    container.state = {
      waiting: {
        reason: "CrashLoopBackOff",
        message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${container.name} pod=${pod}`,
      },
    };
    this.queueStatusWrite(tracked);
    this.record(
      tracked,
      kubeletEvent(
        "Warning",
        "BackOff",
        `Back-off restarting failed container ${container.name} in pod ${pod}`,
        container.name,
      ),
    );
    this.after(tracked, delay, () => {
      container.restartCount++;
      this.record(
        tracked,
        kubeletEvent(
          "Normal",
          "Pulled",
          `Container image "${container.image}" already present on machine`,
          container.name,
        ),
      );
      this.startContainer(tracked, container);
      this.queueStatusWrite(tracked);
      if (tracked.fate === "crash" && container === tracked.runtime.containers[0]) {
        this.after(tracked, Math.round(this.deps.random.between(...this.timing.crashAfterMs)), () =>
          this.crash(tracked, container),
        );
      }
    });
  }

  /**
   * A graceful deletion: every running container gets SIGTERM ("Killing" events). One that
   * handles it stops within a moment (exit 143); one whose PID 1 ignores it (a shell, as GitLab
   * Runner's build and helper) is killed when the grace period ends (exit 137). Once all have
   * stopped, the kubelet reports the terminal phase and the pod object goes.
   */
  private terminate(key: string, pod: KubeObject, tracked: TrackedPod | undefined): void {
    if (tracked?.stage === "terminating") return;
    const target = tracked ?? this.track(key, pod, "normal", containersFromStatus(pod), undefined);
    this.cancelTimers(target);
    target.stage = "terminating";
    target.runtime.terminating = true;
    const graceMs = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    const script = this.deps.scripts.get(target.namespace, target.name);
    const running = [...target.runtime.initContainers, ...target.runtime.containers].filter(
      (c) => "running" in c.state,
    );
    let remaining = running.length;
    const finish = () => {
      this.writeStatus(target);
      this.after(target, 0, () =>
        deleteQuietly(this.deps.store, POD, target.namespace, target.name, { gracePeriodSeconds: 0 }),
      );
    };
    if (remaining === 0) {
      this.after(target, 200, finish);
      return;
    }
    for (const container of running) {
      this.record(target, kubeletEvent("Normal", "Killing", `Stopping container ${container.name}`, container.name));
      let done = false;
      const stopped = (exitCode: number) => {
        if (done) return;
        done = true;
        if ("running" in container.state) {
          container.state = {
            terminated: {
              exitCode,
              reason: exitCode === 0 ? "Completed" : "Error",
              startedAt: container.state.running.startedAt,
              finishedAt: k8sTime(this.deps.clock.now()),
              containerID: container.containerID,
            },
          };
          this.stopContainer(target, container);
        }
        if (--remaining === 0) finish();
        else this.queueStatusWrite(target);
      };
      const process = this.deps.processes?.get(target.namespace, target.name, container.name);
      if (process) {
        process.stop((exitCode) => this.after(target, 0, () => stopped(exitCode)));
        this.after(target, graceMs, () => stopped(137));
        continue;
      }
      const ignoresSigterm = script?.[container.name]?.ignoresSigterm ?? false;
      const stopAfter = ignoresSigterm
        ? graceMs
        : Math.min(graceMs, Math.round(this.deps.random.between(...SIGTERM_EXIT_MS)));
      this.after(target, stopAfter, () => stopped(ignoresSigterm ? 137 : 143));
    }
  }

  /** The container no longer runs: its log stream ends and its probes stop. */
  private stopContainer(tracked: TrackedPod, container: ContainerRuntime): void {
    tracked.generation.set(container.name, (tracked.generation.get(container.name) ?? 0) + 1);
    this.deps.logs.end(tracked.namespace, tracked.name, container.name);
  }

  /**
   * For workloads simulating a container's process: the process exited (a fatal error, a crash,
   * the OOM killer). The kubelet reports it and restarts the container per restartPolicy.
   */
  processExited(namespace: string, name: string, container: string, exitCode: number, reason?: string): void {
    const tracked = this.pods.get(`${namespace}/${name}`);
    const runtime = tracked?.runtime.containers.find((c) => c.name === container);
    if (!tracked || !runtime || tracked.stage !== "running") return;
    this.exitContainer(tracked, runtime, exitCode, reason);
  }

  /** The container's current containerID while it runs, else undefined. */
  runningContainerId(namespace: string, name: string, container: string): string | undefined {
    const runtime = this.pods.get(`${namespace}/${name}`)?.runtime.containers.find((c) => c.name === container);
    return runtime && "running" in runtime.state ? runtime.containerID : undefined;
  }

  private startProbes(tracked: TrackedPod, container: ContainerRuntime): void {
    const generation = (tracked.generation.get(container.name) ?? 0) + 1;
    tracked.generation.set(container.name, generation);
    const spec = tracked.specs.get(container.name);
    container.started = spec?.startupProbe ? false : undefined;
    container.ready = spec?.readinessProbe ? false : undefined;
    if (!spec) return;
    const current = () => tracked.generation.get(container.name) === generation && "running" in container.state;
    const run = (kind: ProbeKind, probe: ProbeSpec, then?: () => void) => {
      const timing = probeTiming(probe);
      let failures = 0;
      let successes = 0;
      let reportedUnknown = false;
      const tick = () => {
        if (!current()) return;
        const process = this.deps.processes?.get(tracked.namespace, tracked.name, container.name);
        const answer: ProbeAnswer = process?.probe(probe, kind, spec.ports) ?? {
          unknown: `no simulated process answers ${describeProbe(probe)} in container ${container.name}`,
        };
        const label = `${kind[0].toUpperCase()}${kind.slice(1)} probe`;
        if ("unknown" in answer) {
          // Readiness stays false; a liveness or startup probe that cannot run restarts nothing.
          if (!reportedUnknown || kind === "readiness") {
            this.record(
              tracked,
              kubeletEvent("Warning", "Unhealthy", `${label} not simulated: ${answer.unknown}`, container.name),
            );
            reportedUnknown = true;
          }
          if (kind === "startup") {
            container.started = true;
            this.queueStatusWrite(tracked);
            then?.();
            return;
          }
          if (kind === "readiness" && container.ready !== false) {
            container.ready = false;
            this.queueStatusWrite(tracked);
          }
          if (kind === "readiness") this.after(tracked, timing.periodMs, tick);
          return;
        }
        if (answer.ok) {
          failures = 0;
          successes++;
          if (kind === "startup" && successes >= timing.successThreshold) {
            container.started = true;
            this.queueStatusWrite(tracked);
            then?.();
            return;
          }
          if (kind === "readiness" && successes >= timing.successThreshold && container.ready !== true) {
            container.ready = true;
            this.queueStatusWrite(tracked);
          }
        } else {
          successes = 0;
          failures++;
          this.record(
            tracked,
            kubeletEvent("Warning", "Unhealthy", `${label} failed: ${answer.output.trim()}`, container.name),
          );
          if (kind === "readiness" && failures >= timing.failureThreshold && container.ready !== false) {
            container.ready = false;
            this.queueStatusWrite(tracked);
          }
          if (kind !== "readiness" && failures >= timing.failureThreshold) {
            this.record(
              tracked,
              kubeletEvent(
                "Normal",
                "Killing",
                `Container ${container.name} failed ${kind} probe, will be restarted`,
                container.name,
              ),
            );
            this.exitContainer(tracked, container, 137);
            return;
          }
        }
        this.after(tracked, timing.periodMs, tick);
      };
      this.after(tracked, timing.initialDelayMs, tick);
    };
    const others = () => {
      if (spec.readinessProbe) run("readiness", spec.readinessProbe);
      if (spec.livenessProbe) run("liveness", spec.livenessProbe);
    };
    if (spec.startupProbe) run("startup", spec.startupProbe, others);
    else others();
  }

  private forget(key: string, tracked: TrackedPod): void {
    this.cancelTimers(tracked);
    this.pods.delete(key);
    this.deps.logs.removePod(tracked.namespace, tracked.name);
    this.deps.scripts.forget(tracked.namespace, tracked.name);
  }

  /** Several containers often change in the same instant; write the pod status once for all of them. */
  private queueStatusWrite(tracked: TrackedPod): void {
    if (tracked.statusWriteQueued) return;
    tracked.statusWriteQueued = true;
    this.after(tracked, 0, () => {
      tracked.statusWriteQueued = false;
      this.writeStatus(tracked);
    });
  }

  private writeStatus(tracked: TrackedPod): void {
    const nowIso = k8sTime(this.deps.clock.now());
    mutate(
      this.deps.store,
      POD,
      tracked.namespace,
      tracked.name,
      (pod) => {
        const previous = (pod.status ?? {}) as { conditions?: never; qosClass?: string };
        pod.status = {
          ...renderPodStatus(tracked.runtime, nowIso, previous),
          qosClass: previous.qosClass ?? qosClass(pod),
        };
      },
      { status: true, uid: tracked.uid },
    );
  }

  private record(tracked: TrackedPod, spec: EventSpec): void {
    // The pod's identity is all an Event needs; no read of the pod per event.
    this.deps.events.record(
      { ...POD, metadata: { name: tracked.name, namespace: tracked.namespace, uid: tracked.uid } },
      spec,
    );
  }

  private after(tracked: TrackedPod, ms: number, callback: () => void): void {
    const cancel = this.deps.clock.setTimeout(
      () => {
        tracked.timers.delete(cancel);
        try {
          callback();
        } catch (error) {
          this.deps.onError(error);
        }
      },
      Math.max(0, ms),
    );
    tracked.timers.add(cancel);
  }

  private cancelTimers(tracked: TrackedPod): void {
    for (const cancel of tracked.timers) cancel();
    tracked.timers.clear();
    tracked.statusWriteQueued = false;
  }

  private backoffMs(attempt: number): number {
    return Math.min(this.timing.backoffMaxMs, this.timing.backoffBaseMs * 2 ** attempt);
  }
}

function kubeletEvent(
  type: EventSpec["type"],
  reason: string,
  message: string,
  container: string,
  isInit = false,
): EventSpec {
  const fieldPath = `spec.${isInit ? "initContainers" : "containers"}{${container}}`;
  return { type, reason, message, component: "kubelet", host: VIRTUAL_NODE_NAME, fieldPath };
}

/** Probes and named ports of each app container. */
function containerSpecs(pod: KubeObject): Map<string, ContainerSpecInfo> {
  const containers =
    (
      pod.spec as
        | {
            containers?: Array<
              ContainerSpecInfo & { name: string; ports?: Array<{ name?: string; containerPort: number }> }
            >;
          }
        | undefined
    )?.containers ?? [];
  return new Map(
    containers.map((c) => [
      c.name,
      {
        startupProbe: c.startupProbe,
        readinessProbe: c.readinessProbe,
        livenessProbe: c.livenessProbe,
        ports: Object.fromEntries((c.ports ?? []).filter((p) => p.name).map((p) => [p.name!, p.containerPort])),
      },
    ]),
  );
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf("/");
  return [key.slice(0, slash), key.slice(slash + 1)];
}

function isBatch(pod: KubeObject): boolean {
  const policy = (pod.spec as { restartPolicy?: string } | undefined)?.restartPolicy;
  return policy === "Never" || policy === "OnFailure";
}

function isBestEffortAcs(pod: KubeObject): boolean {
  const { placement } = podPlacement(pod as PodLike, "eci");
  return placement.backend === "acs" && placement.qos === "best-effort";
}
