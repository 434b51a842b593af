import type { KubeObject, StoreEvent } from "../../types";
import type { SimContext } from "../context";
import { CONFIG_MAP, POD, SECRET, isKind, objectKey } from "../kinds";
import type { ProcessRegistry } from "../processes";
import { WorkQueue } from "../work-queue";
import type { GitLabClient } from "./gitlab-client";
import type { CacheStorage } from "./job-cache";
import { RunnerProcess } from "./runner-process";

const ID_EPOCH = Date.UTC(2026, 0, 1);
const JOB_POD_LABEL = "job.runner.gitlab.com/pod";

export interface ContainerRuntimeControl {
  processExited(namespace: string, name: string, container: string, exitCode: number, reason?: string): void;
  runningContainerId(namespace: string, name: string, container: string): string | undefined;
}

export interface RunnerControllerDeps extends SimContext {
  speed: number;
  processes: ProcessRegistry;
  kubelet: ContainerRuntimeControl;
  /** The GitLab the runners talk to. */
  gitlab: GitLabClient;
  /** The cache archives the runners upload, shared as a bucket is. */
  cacheStorage: CacheStorage;
}

/**
 * Job and pipeline ids grow with time (4 job ids a second), so after a restart, with the same
 * seed, new jobs still get ids above every job seen before, as on a real GitLab.
 */
export function initialJobIds(now: number): { jobId: number; pipelineId: number } {
  const elapsed = Math.max(0, now - ID_EPOCH);
  return { jobId: 8_140_000 + Math.floor(elapsed / 250), pipelineId: 1_520_000 + Math.floor(elapsed / 1000) };
}

export function isJobPod(pod: KubeObject): boolean {
  return Boolean(pod.metadata.labels?.[JOB_POD_LABEL]);
}

/** The gitlab-runner containers of a pod (the runner image, not its helper). */
export function runnerContainers(pod: KubeObject): Array<{ name: string; image?: string }> {
  if (isJobPod(pod)) return [];
  const containers =
    (pod.spec as { containers?: Array<{ name: string; image?: string }> } | undefined)?.containers ?? [];
  return containers.filter((c) => /(^|\/)gitlab-runner(:|@|$)/.test(c.image ?? ""));
}

interface Running {
  process: RunnerProcess;
  containerId: string;
  uid: string;
  unregister: () => void;
}

/**
 * Runs a simulated gitlab-runner process in every running container of the gitlab-runner image,
 * whatever workload created it, and ends it when the container stops. A restarted container gets
 * a new process; one that died (killed, OOM) leaves its job pods behind, as a real runner does.
 */
export class RunnerController {
  private readonly running = new Map<string, Running>();
  private readonly queue: WorkQueue;
  private readonly gitlab: GitLabClient;
  private stopListening?: () => void;

  constructor(private readonly deps: RunnerControllerDeps) {
    this.gitlab = deps.gitlab;
    this.queue = new WorkQueue(deps.clock, (key) => this.sync(key), deps.onError);
  }

  start(): void {
    this.stopListening = this.deps.processes.onContainerStart((started) =>
      this.startProcess(started.namespace, started.pod, started.container, started.containerId),
    );
    for (const pod of this.deps.store.list(POD)) if (runnerContainers(pod).length) this.queue.add(objectKey(pod));
  }

  onEvent(event: StoreEvent): void {
    const object = event.object;
    if (isKind(object, CONFIG_MAP) || isKind(object, SECRET)) {
      for (const { process } of this.running.values()) process.onEvent(event);
      return;
    }
    if (!isKind(object, POD)) return;
    if (isJobPod(object)) {
      for (const { process } of this.running.values()) if (process.onEvent(event)) return;
      return;
    }
    if (runnerContainers(object).length || [...this.running.keys()].some((k) => k.startsWith(`${objectKey(object)}/`)))
      this.queue.add(objectKey(object));
  }

  stop(): void {
    this.stopListening?.();
    this.queue.stop();
    for (const running of this.running.values()) {
      running.process.kill();
      running.unregister();
    }
    this.running.clear();
  }

  private sync(key: string): void {
    const slash = key.indexOf("/");
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const pod = this.deps.store.get(POD, namespace, name);
    const containers = pod ? runnerContainers(pod) : [];
    for (const [processKey, running] of this.running) {
      if (!processKey.startsWith(`${key}/`)) continue;
      const container = processKey.slice(key.length + 1);
      const id =
        pod && pod.metadata.uid === running.uid
          ? this.deps.kubelet.runningContainerId(namespace, name, container)
          : undefined;
      if (id === running.containerId) continue;
      // The container stopped or was replaced: the old process is gone without cleaning up.
      running.process.kill();
      running.unregister();
      this.running.delete(processKey);
    }
    if (!pod || pod.metadata.deletionTimestamp) return;
    for (const container of containers) {
      const containerId = this.deps.kubelet.runningContainerId(namespace, name, container.name);
      if (containerId) this.startProcess(namespace, name, container.name, containerId);
    }
  }

  /** A gitlab-runner container (re)started: its process starts with it. */
  private startProcess(namespace: string, name: string, containerName: string, containerId: string): void {
    const pod = this.deps.store.get(POD, namespace, name);
    if (!pod || !runnerContainers(pod).some((c) => c.name === containerName)) return;
    const processKey = `${namespace}/${name}/${containerName}`;
    const existing = this.running.get(processKey);
    if (existing?.containerId === containerId) return;
    if (existing) {
      existing.process.kill();
      existing.unregister();
    }
    const spec = (pod.spec as { containers: Array<{ name: string }> }).containers.find(
      (c) => c.name === containerName,
    )!;
    const process = new RunnerProcess(
      {
        ...this.deps,
        random: this.deps.random.fork(`${processKey}/${containerId}`),
        gitlab: this.gitlab,
        exited: (code) =>
          this.deps.clock.setTimeout(() => this.deps.kubelet.processExited(namespace, name, containerName, code), 0),
      },
      pod,
      spec,
    );
    const unregister = this.deps.processes.register(namespace, name, containerName, process);
    this.running.set(processKey, { process, containerId, uid: pod.metadata.uid ?? "", unregister });
    process.start();
  }
}
