import type { KubeObject, StoreEvent } from "../types";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import { resolvePodSpec, type PodLike } from "@ask-ci/billing/eci/specs";
import { ACS_ANNOTATIONS } from "@ask-ci/billing/acs/labels";
import { formatPodUseSpec, resolveAcsPodSpec } from "@ask-ci/billing/acs/specs";
import { podPlacement } from "@ask-ci/billing/placement";
import type { SimContext } from "./context";
import type { EventSpec } from "./event-recorder";
import type { ImageCacheController } from "./image-cache-controller";
import { imageIdFor, normalizeImageRef } from "./image-ref";
import { NODE, POD, VIRTUAL_NODE_NAME, isKind, objectKey } from "./kinds";
import { FAIL_ANNOTATION, decideFate, isMissingImage, type PodFate } from "./pod-fate";
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
const SPOT_WARNING_MS = 3 * 60_000;
// ACS best-effort: "You receive an event notification 5 minutes before eviction" (acs-pod-instance-overview).
const BEST_EFFORT_WARNING_MS = 5 * 60_000;
/** ACS gives every pod 30 GiB of ephemeral storage free and writes it as pod-ephemeral-storage. */
const ACS_FREE_EPHEMERAL_STORAGE = "30Gi";
export const DEFAULT_BEST_EFFORT_EVICTION_RATE = 0.1;
const NODE_STATUS_INTERVAL_MS = 60_000;

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
}

export const DEFAULT_KUBELET_TIMING: KubeletTiming = {
  cachedPullMs: [2000, 5000],
  uncachedPullMs: [20_000, 40_000],
  batchRunMs: [5000, 30_000],
  crashAfterMs: [2000, 8000],
  backoffBaseMs: 10_000,
  backoffMaxMs: 300_000,
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
}

export interface KubeletDeps extends SimContext {
  imageCaches: ImageCacheController;
  failureRate: number;
  /** Share of ACS best-effort batch pods evicted part-way (default DEFAULT_BEST_EFFORT_EVICTION_RATE). */
  bestEffortEvictionRate?: number;
  timing?: KubeletTiming;
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
    if (tracked) return;
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
        [ECI_ANNOTATIONS.instanceSpec]: `${billed.vcpu.toFixed(1)}-${billed.memoryGiB.toFixed(1)}Gi`,
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
      tracked.stage = "finished";
      return;
    }
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
      }
    }
    this.applyFate(tracked, longestRunMs);
  }

  private applyFate(tracked: TrackedPod, runMs: number): void {
    const { random } = this.deps;
    const main = tracked.runtime.containers[0];
    if (!main) return;
    const partWay = () => Math.round(runMs > 0 ? runMs * random.between(0.3, 0.8) : random.between(5000, 20_000));
    switch (tracked.fate) {
      case "oom":
        this.after(tracked, partWay(), () => {
          this.exitContainer(tracked, main, 137, "OOMKilled");
          if (tracked.runtime.restartPolicy === "Never") {
            for (const other of tracked.runtime.containers) this.exitContainer(tracked, other, 0);
          }
        });
        break;
      case "crash":
        this.after(tracked, Math.round(random.between(...this.timing.crashAfterMs)), () => this.crash(tracked, main));
        break;
      case "killed": {
        const at = partWay();
        if (tracked.spot) {
          // ECI warns about 3 minutes before it reclaims a spot instance.
          this.after(tracked, Math.max(0, at - SPOT_WARNING_MS), () =>
            this.record(tracked, {
              type: "Warning",
              reason: "SpotToBeReleased",
              message: "Spot ECI will be released in 3 minutes",
              component: "EciService",
            }),
          );
        }
        if (tracked.bestEffort) {
          // ACS notifies 5 minutes before it evicts a best-effort pod (the event's reason and wording
          // are not published: ours are an assumption, see the package README).
          this.after(tracked, Math.max(0, at - BEST_EFFORT_WARNING_MS), () =>
            this.record(tracked, {
              type: "Warning",
              reason: "BestEffortPodToBeEvicted",
              message: "ACS best-effort pod will be evicted in 5 minutes",
              component: "AcsService",
            }),
          );
        }
        this.after(tracked, at, () => deleteQuietly(this.deps.store, POD, tracked.namespace, tracked.name));
        break;
      }
    }
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
    this.deps.logs.end(tracked.namespace, tracked.name, container.name);
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

  private terminate(key: string, pod: KubeObject, tracked: TrackedPod | undefined): void {
    if (tracked?.stage === "terminating") return;
    const target = tracked ?? this.track(key, pod, "normal", containersFromStatus(pod), undefined);
    this.cancelTimers(target);
    target.stage = "terminating";
    target.runtime.terminating = true;
    const now = k8sTime(this.deps.clock.now());
    let anyRunning = false;
    for (const container of [...target.runtime.initContainers, ...target.runtime.containers]) {
      if (!("running" in container.state)) continue;
      anyRunning = true;
      this.record(target, kubeletEvent("Normal", "Killing", `Stopping container ${container.name}`, container.name));
      container.state = {
        terminated: {
          exitCode: 143,
          reason: "Error",
          startedAt: container.state.running.startedAt,
          finishedAt: now,
          containerID: container.containerID,
        },
      };
      this.deps.logs.end(target.namespace, target.name, container.name);
    }
    if (anyRunning) this.writeStatus(target);
    const graceMs = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    const delay = anyRunning ? Math.min(graceMs, Math.round(this.deps.random.between(1000, 3000))) : 200;
    this.after(target, delay, () =>
      deleteQuietly(this.deps.store, POD, target.namespace, target.name, { gracePeriodSeconds: 0 }),
    );
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
