import type { KubeObject, StoreEvent } from "../../types";
import type { SimContext } from "../context";
import { POD } from "../kinds";
import { deleteQuietly, isConflictOrExists } from "../store-writes";
import { JobFeed, type Job } from "./job-catalog";
import { buildJobPod, jobVariables, type JobPodInput } from "./job-pod";
import { jobScript } from "./job-script";
import { freeProjectSlot, sanitizeLabel } from "./names";
import { defaultRunnerEntry, type RunnerEntry } from "./runner-config";
import { loadRunnerSetup, runnerContainerName, tokenFromPod } from "./runner-setup";
import { shortenToken } from "./short-token";

const RUNNER_VERSION = "17.11.0";
const DEFAULT_POLL_TIMEOUT_SECONDS = 180;
/** GitLab keeps jobs pending while the runner is busy; we keep at most this many waiting. */
const MAX_QUEUED_JOBS = 50;
const CONFIG_RELOAD_DELAY_MS = 3000;

export interface JobIds {
  jobId: number;
  pipelineId: number;
}

export interface RunnerDeps extends SimContext {
  ids: JobIds;
  jobsPerMinute: number;
  speed: number;
}

interface Runner {
  entry: RunnerEntry;
  shortToken: string;
}

interface ActiveJob {
  job: Job;
  runner: Runner;
  namespace: string;
  podName: string;
  slot: number;
  startedAt: number;
  state: "starting" | "running" | "finished";
  cancelPollTimeout?: () => void;
}

/**
 * One gitlab-runner manager pod acting as GitLab Runner with the Kubernetes executor: it takes
 * jobs arriving at jobsPerMinute, runs at most `concurrent` of them as job pods, and deletes each
 * pod a few seconds after it finishes.
 */
export class RunnerInstance {
  readonly uid: string;
  readonly namespace: string;
  readonly podName: string;
  private readonly container: string;
  private readonly jobs: JobFeed;
  private runners: Runner[] = [];
  private concurrent = 1;
  private readonly active = new Map<string, ActiveJob>();
  private readonly queued: Array<{ job: Job; runner: Runner }> = [];
  private readonly timers = new Set<() => void>();
  private readonly cleaningUp = new Set<string>();
  private startQueued = false;
  private reloadQueued = false;
  private stopped = false;
  private configMapKey?: string;
  /** Made up once when neither config.toml nor the pod provides a token, so job names stay stable. */
  private fallbackToken?: string;

  constructor(
    private readonly deps: RunnerDeps,
    pod: KubeObject,
  ) {
    this.uid = pod.metadata.uid ?? "";
    this.namespace = pod.metadata.namespace ?? "default";
    this.podName = pod.metadata.name;
    this.container = runnerContainerName(pod);
    this.jobs = new JobFeed(deps.random.fork("jobs"), deps.ids);
  }

  start(pod: KubeObject): void {
    this.log(
      `Runtime platform                                    arch=amd64 os=linux pid=7 revision=${RUNNER_VERSION.replace(/\./g, "")}a1 version=${RUNNER_VERSION}`,
    );
    this.log("Starting multi-runner from /etc/gitlab-runner/config.toml...  builds=0 max_builds=0");
    this.loadConfig(pod);
    this.log(`Initializing executor providers                     builds=0 max_builds=${this.concurrent}`);
    // Jobs that waited in GitLab while no runner was up are picked up at once.
    if (this.deps.jobsPerMinute > 0) for (let i = 0; i < this.concurrent; i++) this.enqueueJob();
    this.scheduleArrival();
  }

  /** "namespace/name" of the ConfigMap the runner's config.toml comes from. */
  get configMap(): string | undefined {
    return this.configMapKey;
  }

  /** config.toml changed: like the real runner watching its file, reload it a moment later. */
  scheduleReload(): void {
    if (this.reloadQueued || this.stopped) return;
    this.reloadQueued = true;
    this.after(CONFIG_RELOAD_DELAY_MS, () => {
      this.reloadQueued = false;
      const pod = this.deps.store.get(POD, this.namespace, this.podName);
      if (!pod || pod.metadata.uid !== this.uid) return;
      this.loadConfig(pod);
      this.queueStart();
    });
  }

  private loadConfig(pod: KubeObject): void {
    const { store, random } = this.deps;
    const setup = loadRunnerSetup(store, pod);
    this.configMapKey = setup.configMap;
    this.concurrent = setup.config.concurrent;
    const entries = setup.config.runners.length ? setup.config.runners : [defaultRunnerEntry()];
    const podToken = tokenFromPod(store, pod);
    this.fallbackToken ??= `glrt-t1_${random.string(20, "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")}`;
    this.runners = entries.map((entry) => {
      const token = entry.token?.trim() || podToken || this.fallbackToken!;
      return { entry: { ...entry, token }, shortToken: shortenToken(token) };
    });
    const builds = `builds=${this.active.size} max_builds=${this.concurrent}`;
    if (setup.problems.length) {
      for (const problem of setup.problems) this.log(`WARNING: ${problem}  ${builds}`);
      const source = setup.configMap ? `config.toml in ConfigMap ${setup.configMap}` : "config.toml";
      this.deps.events.record(pod, {
        type: "Warning",
        reason: "InvalidRunnerConfig",
        message: `${source}: ${setup.problems.join("; ")}`,
        component: "gitlab-runner",
      });
    }
    this.log(`Configuration loaded                                ${builds}`);
  }

  stop(): void {
    this.stopped = true;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.active.clear();
    this.queued.length = 0;
  }

  /** Whether this runner made the job pod (by its id-short label). */
  owns(pod: KubeObject): boolean {
    const short = pod.metadata.labels?.["manager.runner.gitlab.com/id-short"];
    return this.runners.some((r) => sanitizeLabel(r.shortToken) === short);
  }

  /** Store events for job pods; returns false when the pod is not one of this runner's running jobs. */
  onJobPodEvent(type: StoreEvent["type"], pod: KubeObject): boolean {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const active = this.active.get(key);
    if (!active) return false;
    if (type === "DELETED") {
      if (active.state !== "finished")
        this.finishJob(active, "ERROR: Job failed (system failure): pod was deleted before the job finished");
      active.cancelPollTimeout?.();
      this.active.delete(key);
      this.queueStart();
      return true;
    }
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (active.state === "starting" && phase === "Running") {
      active.state = "running";
      active.cancelPollTimeout?.();
    }
    if (active.state !== "finished" && (phase === "Succeeded" || phase === "Failed")) {
      const exitCode = buildExitCode(pod);
      this.finishJob(
        active,
        exitCode === 0 ? "Job succeeded" : `WARNING: Job failed: command terminated with exit code ${exitCode}`,
      );
      this.after(Math.round(this.deps.random.between(1000, 4000)), () =>
        deleteQuietly(this.deps.store, POD, active.namespace, active.podName),
      );
    } else if (active.state !== "finished" && pod.metadata.deletionTimestamp) {
      this.finishJob(active, "ERROR: Job failed (system failure): pod is being terminated");
    }
    return true;
  }

  private scheduleArrival(): void {
    if (this.deps.jobsPerMinute <= 0 || this.stopped) return;
    this.after(Math.round(this.deps.random.exponential(60_000 / this.deps.jobsPerMinute)), () => {
      this.enqueueJob();
      this.scheduleArrival();
    });
  }

  private enqueueJob(): void {
    this.queued.push({ job: this.jobs.next(), runner: this.deps.random.pick(this.runners) });
    if (this.queued.length > MAX_QUEUED_JOBS) this.queued.shift();
    this.queueStart();
  }

  /** Starting jobs creates pods, which must not happen inside a store listener. */
  private queueStart(): void {
    if (this.startQueued || this.stopped) return;
    this.startQueued = true;
    this.after(0, () => {
      this.startQueued = false;
      this.startQueuedJobs();
    });
  }

  private startQueuedJobs(): void {
    while (this.queued.length > 0 && this.active.size < this.concurrent) {
      const index = this.queued.findIndex(
        ({ runner }) => !runner.entry.limit || this.activeFor(runner) < runner.entry.limit,
      );
      if (index === -1) return;
      const [{ job, runner }] = this.queued.splice(index, 1);
      this.startJob(job, runner);
    }
  }

  private startJob(job: Job, runner: Runner): void {
    const { store, random, scripts, clock } = this.deps;
    const namespace = runner.entry.kubernetes.namespace || this.namespace;
    const slot = freeProjectSlot(
      [...this.active.values()]
        .filter((a) => sameRunner(a.runner, runner) && a.job.project.id === job.project.id)
        .map((a) => a.slot),
    );
    const input: JobPodInput = {
      runner: runner.entry,
      shortToken: runner.shortToken,
      namespace,
      job,
      projectRunnerId: slot,
      suffix: "",
    };
    this.log(
      `Checking for jobs... received                       job=${job.id} repo_url=${runner.entry.url.replace(/\/+$/, "")}/${job.project.path}.git runner=${runner.shortToken}`,
    );
    for (let attempt = 0; attempt < 3; attempt++) {
      const pod = buildJobPod({ ...input, suffix: random.string(8) });
      const name = pod.metadata.name;
      scripts.set(
        namespace,
        name,
        jobScript(job, Math.max(5000, Math.round(job.simulatedMs / this.deps.speed)), jobVariables(input)),
      );
      try {
        store.create(pod);
      } catch (error) {
        scripts.forget(namespace, name);
        if (isConflictOrExists(error)) continue;
        this.log(
          `ERROR: Job failed (system failure): prepare environment: setting up build pod: ${error instanceof Error ? error.message : String(error)}  job=${job.id} project=${job.project.id} runner=${runner.shortToken}`,
        );
        return;
      }
      const active: ActiveJob = {
        job,
        runner,
        namespace,
        podName: name,
        slot,
        startedAt: clock.now(),
        state: "starting",
      };
      this.active.set(`${namespace}/${name}`, active);
      const pollTimeout = (runner.entry.kubernetes.poll_timeout ?? DEFAULT_POLL_TIMEOUT_SECONDS) * 1000;
      active.cancelPollTimeout = this.after(pollTimeout, () => {
        if (active.state !== "starting") return;
        this.finishJob(
          active,
          "ERROR: Job failed (system failure): prepare environment: waiting for pod running: timed out waiting for pod to start",
        );
        deleteQuietly(store, POD, namespace, name);
      });
      return;
    }
  }

  private finishJob(active: ActiveJob, outcome: string): void {
    active.state = "finished";
    const seconds = ((this.deps.clock.now() - active.startedAt) / 1000).toFixed(3);
    this.log(
      `${outcome}  duration_s=${seconds} job=${active.job.id} project=${active.job.project.id} runner=${active.runner.shortToken}`,
    );
  }

  /**
   * A finished job pod with this runner's token that no running runner tracks (its manager pod
   * was replaced or the simulation restarted): delete it, as the job's cleanup would have.
   * Returns whether the pod carries this runner's token.
   */
  adoptOrphan(type: StoreEvent["type"], pod: KubeObject): boolean {
    if (!this.owns(pod)) return false;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (type === "DELETED") {
      this.cleaningUp.delete(key);
      return true;
    }
    if (!isFinished(pod) || this.cleaningUp.has(key) || pod.metadata.deletionTimestamp) return true;
    this.cleaningUp.add(key);
    this.after(Math.round(this.deps.random.between(1000, 4000)), () =>
      deleteQuietly(this.deps.store, POD, pod.metadata.namespace, pod.metadata.name),
    );
    return true;
  }

  private activeFor(runner: Runner): number {
    let count = 0;
    for (const active of this.active.values()) if (sameRunner(active.runner, runner)) count++;
    return count;
  }

  private log(line: string): void {
    this.deps.logs.append(this.namespace, this.podName, this.container, line);
  }

  private after(ms: number, callback: () => void): () => void {
    const cancel = this.deps.clock.setTimeout(() => {
      this.timers.delete(cancel);
      if (this.stopped) return;
      try {
        callback();
      } catch (error) {
        this.deps.onError(error);
      }
    }, ms);
    this.timers.add(cancel);
    return () => {
      cancel();
      this.timers.delete(cancel);
    };
  }
}

// Runner objects are rebuilt on every config reload; jobs started before still count.
function sameRunner(a: Runner, b: Runner): boolean {
  return a.shortToken === b.shortToken && a.entry.name === b.entry.name;
}

function isFinished(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

function buildExitCode(pod: KubeObject): number {
  const statuses = (
    pod.status as
      { containerStatuses?: Array<{ name: string; state?: { terminated?: { exitCode: number } } }> } | undefined
  )?.containerStatuses;
  const build = statuses?.find((s) => s.name === "build") ?? statuses?.[0];
  return build?.state?.terminated?.exitCode ?? 1;
}
