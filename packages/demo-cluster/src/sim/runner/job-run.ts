import type { Clock, ClusterStore, KubeObject, StoreEvent } from "../../types";
import type { LogBook } from "../log-book";
import { POD, SECRET } from "../kinds";
import type { PodScripts } from "../pod-scripts";
import type { SeededRandom } from "@ask-ci/seeded-random";
import { deleteQuietly, isConflictOrExists, mutate } from "../store-writes";
import type { GitLabClient, JobResult, JobTrace, RunnerCredentials } from "./gitlab-client";
import {
  jobFailedLine,
  reportedFailureReason,
  terminalContainerError,
  type ContainerStatusLike,
  type RunnerFailureReason,
} from "./failure-reasons";
import type { Job } from "./job-catalog";
import {
  archiveCacheLines,
  archivesCache,
  restoreCacheLines,
  restoredKeys,
  restoresCache,
  type CacheContext,
  type CacheStorage,
} from "./job-cache";
import { buildJobPod, jobVariables } from "./job-pod";
import { exitMarker, jobPodScript, readExitCode, stagesAfter, stagesBefore, type Stage } from "./job-stages";
import { jobPodName, projectUniqueName } from "./names";
import type { RunnerRelease } from "./release";
import type { RunnerEntry } from "./runner-config";

const DEFAULT_POLL_TIMEOUT_SECONDS = 180;
const DEFAULT_POLL_INTERVAL_SECONDS = 3;
/** In place of step_script's exit code: the script was canceled (the build's error is ErrJobCanceled). */
const CANCELED = -1;
/** Stages after the user script: a cancel then has nothing left to stop. */
const STAGES_AFTER_SCRIPT = new Set<Stage["name"]>([
  "archive_cache",
  "archive_cache_on_failure",
  "upload_artifacts_on_success",
  "upload_artifacts_on_failure",
  "cleanup_file_variables",
]);

export interface JobRunDeps {
  store: ClusterStore;
  clock: Clock;
  random: SeededRandom;
  logs: LogBook;
  scripts: PodScripts;
  gitlab: GitLabClient;
  release: RunnerRelease;
  /** Simulated job minutes per real minute: durations and timeouts are divided by it. */
  speed: number;
  /** A timer that dies with the runner process. */
  after(ms: number, callback: () => void): () => void;
  /** A line in the runner's own log (its container's stdout). */
  log(line: string): void;
  /** The cache archives runners uploaded (the bucket, persistent cache volumes). */
  cacheStorage: CacheStorage;
}

export interface JobRunInput {
  job: Job;
  runner: RunnerEntry & { token: string };
  credentials: RunnerCredentials;
  shortToken: string;
  /** This job's concurrent-N among the runner's running jobs of the same project. */
  slot: number;
  /** The runner manager pod's name (the hostname the job log names). */
  runnerHost: string;
  defaultHelperImage: string;
}

type State = "preparing" | "waiting" | "running" | "cleaning" | "done";

interface PodStatusLike {
  phase?: string;
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  initContainerStatuses?: ContainerStatusLike[];
  containerStatuses?: ContainerStatusLike[];
}

/** Why the runner fails a job: a BuildError (with its reason) or any other error (`reason` undefined: a system failure). */
interface RunnerError {
  error: string;
  reason?: RunnerFailureReason | "";
}

/**
 * What the runner's pod watcher fails a job for (checkTerminalPodErrors: a disruption or a
 * deletion is a plain error, a container that can never start a BuildError), or undefined.
 */
function podWatcherError(pod: KubeObject, release: RunnerRelease): RunnerError | undefined {
  const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const status = (pod.status ?? {}) as PodStatusLike;
  const disruption = status.conditions?.find((c) => c.type === "DisruptionTarget" && c.status === "True");
  if (disruption)
    return {
      error: `pod "${name}" is disrupted: reason "${disruption.reason ?? ""}", message "${disruption.message ?? ""}"`,
    };
  if (pod.metadata.deletionTimestamp) return { error: `pod "${name}" is being deleted` };
  // The watcher reads init containers first.
  const terminal = terminalContainerError(
    [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])],
    release,
  );
  return terminal ? { error: `pod "${name}" failed: ${terminal.error}`, reason: terminal.reason } : undefined;
}

/**
 * One job, as the Kubernetes executor runs it with the attach strategy (the default):
 * create the job's registry Secret and pod, wait for the pod to run (poll_timeout), run each
 * stage over attach in the helper or build container and read its exit code from the log,
 * then delete the pod while it is still Running (Background propagation,
 * cleanup_grace_period_seconds), whatever the job's result. The pod's phase never carries the
 * result; GitLab gets it through the runner protocol.
 */
export class JobRun {
  state: State = "preparing";
  readonly namespace: string;
  podName = "";
  private podUid?: string;
  private secretName?: string;
  private readonly scriptsDir: string;
  private readonly startedAt: number;
  private readonly timeoutSeconds: number;
  private readonly cancels = new Set<() => void>();
  /** Timers of the stage that runs now: a graceful cancel stops them (the script's context). */
  private readonly stageCancels = new Set<() => void>();
  private currentStage?: Stage["name"];
  private result?: JobResult & { message: string };
  /** Cache keys restore_cache found, which archive_cache then finds unchanged. */
  private restoredCaches = new Set<string>();
  private canceled = false;
  /** The job log GitLab shows: every stage's output, then the runner's verdict, sent as it grows. */
  private trace?: JobTrace;

  constructor(
    private readonly deps: JobRunDeps,
    readonly input: JobRunInput,
    private readonly onDone: (run: JobRun) => void,
  ) {
    const { job, runner } = input;
    this.namespace = runner.kubernetes?.namespace || "default";
    this.scriptsDir = `/scripts-${job.project.id}-${job.id}`;
    this.startedAt = deps.clock.now();
    this.timeoutSeconds = Math.max(1, Math.ceil(job.timeoutSeconds / deps.speed));
  }

  get jobId(): number {
    return this.input.job.id;
  }

  start(): void {
    const { job, runner, shortToken } = this.input;
    this.deps.log(
      `Checking for jobs... received                       job=${job.id} repo_url=${(runner.url ?? "").replace(/\/+$/, "")}/${job.project.path}.git runner=${shortToken}`,
    );
    if (!runner.kubernetes?.namespace) {
      this.deps.log(`WARNING: Namespace is empty, therefore assuming 'default'.  job=${job.id} runner=${shortToken}`);
    }
    this.trace = this.deps.gitlab.startTrace(this.input.credentials, job, {
      cancel: () => this.cancelRequested(),
      abort: () => this.aborted(),
    });
    // The runner's own deadline for the whole job (GitLab's timeout), from the moment it took it.
    this.timer(this.timeoutSeconds * 1000, () =>
      this.fail(
        { state: "failed", failureReason: "job_execution_timeout" },
        `ERROR: Job failed: execution took longer than ${this.timeoutSeconds}s seconds`,
      ),
    );
    this.createPod();
  }

  /**
   * Store events for this job's pod, as the runner's pod watcher (an informer,
   * executors/kubernetes/internal/watchers/pod.go) sees them while a stage runs: a deletion, a
   * disruption or a container that cannot start fails the job at once. The pod's phase and its
   * stopped containers are not the watcher's: the runner reads them by polling (pollPod).
   */
  onPodEvent(event: StoreEvent): void {
    const pod = event.object;
    if (pod.metadata.name !== this.podName || pod.metadata.namespace !== this.namespace) return;
    if (this.podUid && pod.metadata.uid !== this.podUid) return;
    // Its errors are read only while a stage runs (runWithAttach's select); Finish stops it.
    if (this.state !== "running") return;
    const error: RunnerError | undefined =
      event.type === "DELETED"
        ? { error: `pod "${this.namespace}/${this.podName}" is deleted` }
        : podWatcherError(pod, this.deps.release);
    if (error) this.failWith(error);
  }

  /**
   * The runner's polls of its pod (`pods get` every poll_interval): waitForPodRunning until the pod
   * runs (the first check at once, at most poll_timeout), then watchPodStatus while stages run,
   * which fails the job when the pod is gone, no longer Running (a Failed pod: BidFailed,
   * DeadlineExceeded, NotFound) or its build or helper container stopped (executors/kubernetes
   * util.go getPodPhase, kubernetes.go checkPodStatus, podContainerStatusChecker). So the runner
   * sees such an end up to poll_interval after the platform wrote it, not at once.
   */
  private pollPod(waited: number): void {
    if (this.state !== "waiting" && this.state !== "running") return;
    const settings = this.input.runner.kubernetes ?? {};
    const pollTimeoutMs = (settings.poll_timeout ?? DEFAULT_POLL_TIMEOUT_SECONDS) * 1000;
    const pollIntervalMs = (settings.poll_interval ?? DEFAULT_POLL_INTERVAL_SECONDS) * 1000;
    const pod = this.deps.store.get(POD, this.namespace, this.podName);
    const status = (pod?.status ?? {}) as PodStatusLike;
    if (this.state === "waiting") {
      const prepareFailed = (error: string) =>
        this.fail(
          { state: "failed", failureReason: "runner_system_failure" },
          `ERROR: Job failed (system failure): prepare environment: waiting for pod running: ${error}`,
        );
      if (!pod) return prepareFailed(`pods "${this.podName}" not found`);
      if (status.phase === "Succeeded") return prepareFailed("pod already succeeded before it begins running");
      if (status.phase === "Failed") return prepareFailed("pod status is failed");
      if (status.phase === "Running") return this.podRunning();
      // getPodPhase reads the containers before the init containers.
      const terminal = terminalContainerError(
        [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])],
        this.deps.release,
      );
      if (terminal)
        return this.failWith({
          error: `prepare environment: waiting for pod running: ${terminal.error}`,
          reason: terminal.reason,
        });
      if (waited >= pollTimeoutMs) {
        const detail = this.deps.release.pollTimeoutNamesPhase ? ` (last phase: ${status.phase ?? "Unknown"})` : "";
        return prepareFailed(`timed out waiting for pod to start${detail}`);
      }
    } else {
      const failed = (error: string) =>
        this.fail(
          { state: "failed", failureReason: "runner_system_failure" },
          `ERROR: Job failed (system failure): ${error}`,
        );
      if (waited > 0) {
        if (!pod) return failed(`pods "${this.podName}" not found`);
        if (status.phase !== "Running") return failed(`pod "${this.podName}" status is "${status.phase ?? ""}"`);
        for (const container of status.containerStatuses ?? []) {
          const terminated = container.state?.terminated;
          if (terminated && terminated.exitCode >= 0 && (container.name === "build" || container.name === "helper")) {
            return failed(
              `Error in container ${container.name}: exit code: ${terminated.exitCode}, reason: '${terminated.reason ?? ""}'`,
            );
          }
        }
      }
    }
    this.timer(pollIntervalMs, () => this.pollPod(waited + pollIntervalMs));
  }

  /** The pod runs: the stages begin, and the status polls go on while they run. */
  private podRunning(): void {
    this.state = "running";
    const caches = this.input.job.cache ?? [];
    const cache = this.cacheContext();
    this.restoredCaches = restoredKeys(caches, cache);
    this.runStages(
      stagesBefore(
        this.input.job,
        this.variables(),
        { podName: this.podName, runnerHost: this.input.runnerHost },
        restoresCache(caches) ? restoreCacheLines(caches, cache) : undefined,
      ),
      0,
    );
    this.pollPod(0);
  }

  /** The runner process is being stopped hard (SIGKILL, OOM): nothing is cleaned up, the pod is left behind. */
  abandon(): void {
    this.clearTimers();
    this.trace?.stop();
    this.state = "done";
  }

  /**
   * GitLab asked for a graceful cancel (`Job-Status: canceling`). During the user script only the
   * script stops (common/build.go executeUserScripts: the trace's cancel func is the script's
   * context) and what follows a failed script still runs; before it, the cancel func is the whole
   * build's (configureTrace), so the job ends at once; after it, there is nothing left to cancel.
   */
  private cancelRequested(): void {
    if (this.state === "cleaning" || this.state === "done") return;
    if (this.currentStage === "step_script" && this.state === "running") {
      for (const cancel of this.stageCancels) cancel();
      this.stageCancels.clear();
      this.traceLine("WARNING: script canceled externally (UI, API)");
      this.canceled = true;
      this.runStages(stagesAfter(false, this.archiveLines(false)), 0, CANCELED);
      return;
    }
    if (this.canceled || (this.currentStage && STAGES_AFTER_SCRIPT.has(this.currentStage))) return;
    this.aborted();
  }

  /** The job is no longer the runner's (`Job-Status: canceled|failed`, 403): the build is stopped and cleaned up. */
  private aborted(): void {
    this.fail({ state: "failed", failureReason: "job_canceled" }, "ERROR: Job failed: canceled");
  }

  /** Forceful shutdown (SIGTERM/SIGINT to the runner): the build is aborted and cleaned up. */
  abort(): void {
    this.fail({ state: "failed", failureReason: "unknown_failure" }, "ERROR: Job failed: aborted: terminated");
  }

  private variables(): Record<string, string> {
    return jobVariables({ ...this.input, release: this.deps.release, timeoutSeconds: this.timeoutSeconds });
  }

  private createPod(): void {
    const { store, random, scripts } = this.deps;
    const { job, runner, shortToken, slot } = this.input;
    const uniqueName = projectUniqueName(shortToken, job.project.id, slot);
    // setupCredentials: the job's registry logins as a kubernetes.io/dockercfg Secret.
    if (job.credentials.length) {
      const dockercfg = Object.fromEntries(
        job.credentials.map((c) => [c.url, { username: c.username, password: c.password, serveraddress: c.url }]),
      );
      for (let attempt = 0; attempt < 3 && !this.secretName; attempt++) {
        const name = jobPodName(uniqueName, random.string(8));
        try {
          store.create({
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name, namespace: this.namespace },
            type: "kubernetes.io/dockercfg",
            data: { ".dockercfg": Buffer.from(JSON.stringify(dockercfg)).toString("base64") },
          });
          this.secretName = name;
        } catch (error) {
          if (!isConflictOrExists(error)) return this.prepareFailed(error);
        }
      }
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const built = buildJobPod({
        release: this.deps.release,
        runner,
        shortToken,
        namespace: this.namespace,
        job,
        timeoutSeconds: this.timeoutSeconds,
        projectRunnerId: slot,
        suffix: random.string(8),
        credentialsSecret: this.secretName,
        defaultHelperImage: this.input.defaultHelperImage,
      });
      if (!built.ok) return this.prepareFailed(built.error);
      const name = built.pod.metadata.name;
      const runMs = Math.max(5000, Math.round(job.simulatedMs / this.deps.speed));
      scripts.set(this.namespace, name, jobPodScript(runMs, built.services));
      try {
        const created = store.create(built.pod);
        this.podName = name;
        this.podUid = created.metadata.uid;
        break;
      } catch (error) {
        scripts.forget(this.namespace, name);
        if (!isConflictOrExists(error)) return this.prepareFailed(error);
      }
    }
    if (!this.podName) return this.prepareFailed("the server was not able to generate a unique name for the object");
    // setOwnerReferencesForResources: the Secret goes with the pod.
    if (this.secretName) {
      mutate(store, SECRET, this.namespace, this.secretName, (secret) => {
        secret.metadata.ownerReferences = [
          { apiVersion: "v1", kind: "Pod", name: this.podName, uid: this.podUid!, controller: false },
        ];
      });
    }
    this.state = "waiting";
    this.pollPod(0);
  }

  /** Runs stages one after another; step_script's exit code picks the success or failure after-stages. */
  private runStages(stages: Stage[], index: number, failedWith?: number): void {
    if (this.state !== "running") return;
    if (index >= stages.length) {
      if (stages.some((s) => s.name === "step_script")) {
        const succeeded = failedWith === undefined;
        this.runStages(stagesAfter(succeeded, this.archiveLines(succeeded)), 0, failedWith);
        return;
      }
      this.complete(failedWith);
      return;
    }
    const stage = stages[index];
    const runMs = Math.max(5000, Math.round(this.input.job.simulatedMs / this.deps.speed));
    const stageMs = Math.max(200, Math.round(runMs * stage.share));
    const { logs } = this.deps;
    // Attach needs the container running; the pod watcher reports a stopped one.
    const lines = stage.lines;
    const each = lines.length ? stageMs / (lines.length + 1) : stageMs;
    this.currentStage = stage.name;
    for (const cancel of this.stageCancels) cancel();
    this.stageCancels.clear();
    lines.forEach((line, i) =>
      this.stageTimer(Math.round(each * (i + 1)), () => {
        logs.append(this.namespace, this.podName, stage.container, line);
        this.traceLine(line);
      }),
    );
    this.stageTimer(stageMs, () => {
      logs.append(this.namespace, this.podName, stage.container, "");
      logs.append(
        this.namespace,
        this.podName,
        stage.container,
        exitMarker(this.scriptsDir, stage.name, stage.exitCode),
      );
      // The exit code comes back through the log, not from the attach call.
      const code = readExitCode(
        logs.read(this.namespace, this.podName, stage.container) ?? [],
        this.scriptsDir,
        stage.name,
      );
      if (code === undefined) {
        this.fail(
          { state: "failed", failureReason: "unknown_failure" },
          "ERROR: Job failed: exit status of the stage is missing from the log",
        );
        return;
      }
      if (code !== 0 && stage.name === "step_script") {
        this.runStages(stages, stages.length, code);
        return;
      }
      this.runStages(stages, index + 1, failedWith);
    });
  }

  private cacheContext(): CacheContext {
    const { job, runner, shortToken } = this.input;
    return {
      runner,
      shortToken,
      projectId: job.project.id,
      jobName: job.name,
      ref: job.ref,
      storage: this.deps.cacheStorage,
      now: this.deps.clock.now(),
    };
  }

  /** The archive stage's output (uploading the archive), or undefined when it is skipped. */
  private archiveLines(succeeded: boolean): string[] | undefined {
    const caches = this.input.job.cache ?? [];
    if (!archivesCache(caches, succeeded)) return undefined;
    return archiveCacheLines(caches, this.cacheContext(), succeeded, this.restoredCaches);
  }

  private complete(exitCode: number | undefined): void {
    if (exitCode === CANCELED)
      this.conclude({ state: "failed", failureReason: "job_canceled" }, "ERROR: Job failed: canceled");
    else if (exitCode === undefined) this.conclude({ state: "success" }, "Job succeeded");
    else
      this.conclude(
        { state: "failed", failureReason: "script_failure", exitCode },
        `WARNING: Job failed: command terminated with exit code ${exitCode}`,
      );
  }

  private prepareFailed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.fail(
      { state: "failed", failureReason: "runner_system_failure" },
      `ERROR: Job failed (system failure): prepare environment: ${message}`,
    );
  }

  /** Fails the job as setTraceStatus words it: a BuildError with its reason, any other error as a system failure. */
  private failWith({ error, reason }: RunnerError): void {
    this.fail(
      { state: "failed", failureReason: reason === undefined ? "runner_system_failure" : reason || undefined },
      jobFailedLine(error, reason),
    );
  }

  private fail(result: JobResult, message: string): void {
    if (this.state === "cleaning" || this.state === "done") return;
    this.conclude(result, message);
  }

  /**
   * The end of Build.Run: executor.Cleanup deletes the pod, still Running for a normal end, and
   * does not wait for it to go (kubernetes.go cleanupResources: one Delete call); then the
   * deferred setTraceStatus sends the result (the final update, retried until GitLab has it);
   * then the job leaves the processing list and frees its slot (multi.go processBuildOnRunner:
   * finishBuild, releaseBuild). So `concurrent`, `limit` and concurrent-N are free again while the
   * deleted pod still runs out its grace period.
   */
  private conclude(result: JobResult, message: string): void {
    if (this.state === "cleaning" || this.state === "done") return;
    // The final update carries a reason the job's GitLab knows (trace.SetSupportedFailureReasonMapper).
    const reported: JobResult =
      result.state === "failed"
        ? {
            ...result,
            failureReason: reportedFailureReason(result.failureReason ?? "", this.input.job.failureReasons ?? []),
          }
        : result;
    this.result = { ...reported, message };
    this.state = "cleaning";
    this.clearTimers();
    const { job } = this.input;
    const seconds = ((this.deps.clock.now() - this.startedAt) / 1000).toFixed(3);
    this.deps.log(
      `${message}  duration_s=${seconds} job=${job.id} project=${job.project.id} runner=${this.input.shortToken}`,
    );
    const settings = this.input.runner.kubernetes ?? {};
    if (this.podName) {
      deleteQuietly(this.deps.store, POD, this.namespace, this.podName, {
        propagationPolicy: "Background",
        ...(settings.cleanup_grace_period_seconds !== undefined
          ? { gracePeriodSeconds: settings.cleanup_grace_period_seconds }
          : {}),
      });
    }
    // Without an owner reference (the pod never existed) the Secret is deleted explicitly.
    if (this.secretName && !this.podUid) deleteQuietly(this.deps.store, SECRET, this.namespace, this.secretName);
    this.traceLine(message.replace(/^WARNING: /, ""));
    if (this.trace) this.trace.finish(reported, () => this.finish());
    else this.finish();
  }

  private finish(): void {
    if (this.state === "done") return;
    this.state = "done";
    this.clearTimers();
    this.onDone(this);
  }

  /** The job's result once concluded. */
  get outcome(): (JobResult & { message: string }) | undefined {
    return this.result;
  }

  private timer(ms: number, callback: () => void): void {
    const cancel = this.deps.after(ms, () => {
      this.cancels.delete(cancel);
      callback();
    });
    this.cancels.add(cancel);
  }

  private stageTimer(ms: number, callback: () => void): void {
    const cancel = this.deps.after(ms, () => {
      this.cancels.delete(cancel);
      this.stageCancels.delete(cancel);
      callback();
    });
    this.cancels.add(cancel);
    this.stageCancels.add(cancel);
  }

  private traceLine(line: string): void {
    this.trace?.write(`${line}\n`);
  }

  private clearTimers(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels.clear();
    this.stageCancels.clear();
  }
}
