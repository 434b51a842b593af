import type { StoreEvent } from "../../types";
import { CONFIG_MAP, POD, isKind, objectKey } from "../kinds";
import { WorkQueue } from "../work-queue";
import { RunnerInstance, type JobIds, type RunnerDeps } from "./runner-instance";
import { isJobPod, isRunnerPod } from "./runner-setup";

const ID_EPOCH = Date.UTC(2026, 0, 1);

/**
 * Job and pipeline ids grow with time (4 job ids a second), so after a restart, with the same
 * seed, new jobs still get ids above every job seen before, as on a real GitLab.
 */
function initialJobIds(now: number): JobIds {
  const elapsed = Math.max(0, now - ID_EPOCH);
  return { jobId: 8_140_000 + Math.floor(elapsed / 250), pipelineId: 1_520_000 + Math.floor(elapsed / 1000) };
}

/** Starts a simulated GitLab Runner for every Running gitlab-runner pod and stops it when the pod stops. */
export class RunnerController {
  private readonly instances = new Map<string, RunnerInstance>();
  private readonly queue: WorkQueue;

  private readonly ids: JobIds;

  constructor(private readonly deps: Omit<RunnerDeps, "ids">) {
    this.ids = initialJobIds(deps.clock.now());
    this.queue = new WorkQueue(deps.clock, (key) => this.sync(key), deps.onError);
  }

  start(): void {
    for (const pod of this.deps.store.list(POD)) {
      if (isRunnerPod(pod)) this.queue.add(objectKey(pod));
      const jobId = Number(pod.metadata.annotations?.["job.runner.gitlab.com/id"]);
      if (isJobPod(pod) && jobId >= this.ids.jobId) this.ids.jobId = jobId + 1;
    }
  }

  onEvent(event: StoreEvent): void {
    const pod = event.object;
    if (isKind(pod, CONFIG_MAP)) {
      for (const instance of this.instances.values())
        if (instance.configMap === objectKey(pod)) instance.scheduleReload();
      return;
    }
    if (!isKind(pod, POD)) return;
    if (isJobPod(pod)) {
      const instances = [...this.instances.values()];
      if (instances.some((instance) => instance.onJobPodEvent(event.type, pod))) return;
      instances.some((instance) => instance.adoptOrphan(event.type, pod));
    } else if (isRunnerPod(pod)) {
      this.queue.add(objectKey(pod));
    }
  }

  stop(): void {
    this.queue.stop();
    for (const instance of this.instances.values()) instance.stop();
    this.instances.clear();
  }

  private sync(key: string): void {
    const slash = key.indexOf("/");
    const pod = this.deps.store.get(POD, key.slice(0, slash), key.slice(slash + 1));
    const running =
      pod && !pod.metadata.deletionTimestamp && (pod.status as { phase?: string } | undefined)?.phase === "Running";
    let instance = this.instances.get(key);
    if (instance && (!running || instance.uid !== pod?.metadata.uid)) {
      instance.stop();
      this.instances.delete(key);
      instance = undefined;
    }
    if (running && !instance) {
      const created = new RunnerInstance({ ...this.deps, random: this.deps.random.fork(key), ids: this.ids }, pod);
      this.instances.set(key, created);
      created.start(pod);
    }
  }
}
