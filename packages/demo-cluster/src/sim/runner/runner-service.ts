import type { StoreEvent } from "../../types";
import type { ContainerFs } from "./container-fs";
import type { RunnerCredentials } from "./gitlab-client";
import { JobRun, type JobRunDeps } from "./job-run";
import { expandVariables, freeProjectSlot } from "./names";
import { parseRunnerConfig, type RunnerConfig, type RunnerEntry } from "./runner-config";
import { shortenToken } from "./short-token";

const RELOAD_CONFIG_INTERVAL_MS = 3000; // common.ReloadConfigInterval
const DEFAULT_CHECK_INTERVAL_SECONDS = 3; // common.CheckInterval
const DEFAULT_CONCURRENT = 1;

interface Runner {
  entry: RunnerEntry & { token: string };
  credentials: RunnerCredentials;
  shortToken: string;
}

export interface RunnerServiceDeps extends Omit<JobRunDeps, "log" | "after"> {
  fs: ContainerFs;
  env: Record<string, string>;
  /** The runner manager pod's name, the hostname a job log names. */
  hostname: string;
  /** `--listen-address` / LISTEN_ADDRESS, which win over config.toml's listen_address. */
  listenAddressFlag?: string;
  /** The helper image this release uses when config.toml names none. */
  defaultHelperImage: string;
  log(line: string): void;
  /** Errors in timers go here; they never stop the simulation. */
  onError(error: unknown): void;
}

export type StopKind = "graceful" | "forceful" | "killed";

/**
 * `gitlab-runner run`: the process that reads --config, asks GitLab for jobs every check_interval
 * for each [[runners]] entry with a token, runs at most `concurrent` of them (and `limit` per
 * entry) as job pods, serves metrics on listen_address, and re-reads the config file whenever
 * its modification time changes (commands/multi.go). `start()` returns the fatal error that ends
 * the process at once (a config file it cannot load), or undefined.
 */
export class RunnerService {
  private config: RunnerConfig = {};
  private runners: Runner[] = [];
  private configMtime = 0;
  private readonly active = new Map<string, JobRun>();
  private stopping?: StopKind;
  private cancels = new Set<() => void>();
  private onIdle?: () => void;

  constructor(
    private readonly deps: RunnerServiceDeps,
    private readonly configFile: string,
  ) {}

  start(): string | undefined {
    const { release } = this.deps;
    this.deps.log(`Starting multi-runner from ${this.configFile}...  builds=0 max_builds=0`);
    if (!release.exact) {
      this.deps.log(
        `WARNING: the demo cluster has not read the source of gitlab-runner ${release.version}; it behaves as ${release.modelledOn}  builds=0 max_builds=0`,
      );
    }
    const error = this.load();
    if (error) return `FATAL: Failed to load config ${error}`;
    this.deps.log(`Initializing executor providers                     ${this.builds()}`);
    if (!this.listenAddress())
      this.deps.log(`listen_address not defined, metrics & debug endpoints disabled  ${this.builds()}`);
    this.schedulePoll(0);
    this.scheduleReloadCheck();
    return undefined;
  }

  /** The metrics server's address (":9252"), undefined when none is configured. */
  listenAddress(): string | undefined {
    return this.deps.listenAddressFlag || this.config.listen_address || undefined;
  }

  isServing(port: number): boolean {
    const address = this.listenAddress();
    return !this.stopping && address !== undefined && Number(address.slice(address.lastIndexOf(":") + 1)) === port;
  }

  /**
   * The container is being stopped. SIGQUIT (the images' STOPSIGNAL) is a graceful shutdown:
   * no new jobs, running ones finish; SIGTERM/SIGINT abort every job and clean it up; a kill
   * (SIGKILL, the OOM killer, a lost instance) leaves running jobs' pods behind.
   */
  stop(kind: StopKind, onIdle?: () => void): void {
    if (this.stopping === "killed") return;
    this.stopping = kind;
    if (kind === "killed") {
      for (const run of this.active.values()) run.abandon();
      this.active.clear();
      for (const cancel of this.cancels) cancel();
      this.cancels.clear();
      return;
    }
    this.deps.log(
      kind === "graceful"
        ? `Starting graceful shutdown, waiting for builds to finish  ${this.builds()}`
        : `Starting forceful shutdown                          ${this.builds()}`,
    );
    if (kind === "forceful") for (const run of [...this.active.values()]) run.abort();
    this.onIdle = onIdle;
    this.checkIdle();
  }

  onPodEvent(event: StoreEvent): boolean {
    const key = `${event.object.metadata.namespace}/${event.object.metadata.name}`;
    const run = this.active.get(key);
    if (!run) return false;
    run.onPodEvent(event);
    return true;
  }

  /** "namespace/name" of every job pod this process runs. */
  activeJobs(): JobRun[] {
    return [...this.active.values()];
  }

  private builds(): string {
    return `builds=${this.active.size} max_builds=${this.config.concurrent ?? DEFAULT_CONCURRENT}`;
  }

  /** LoadConfig: the whole file or nothing. A missing file is an empty config, as in the runner. */
  private load(): string | undefined {
    const file = this.deps.fs.read(this.configFile);
    if (!file) {
      this.apply({});
      this.configMtime = 0;
      this.deps.log(`Configuration loaded                                ${this.builds()}`);
      return undefined;
    }
    const parsed = parseRunnerConfig(file.content);
    if (!parsed.ok) return parsed.error;
    this.apply(parsed.config);
    this.configMtime = file.mtimeMs;
    this.deps.log(`Configuration loaded                                ${this.builds()}`);
    return undefined;
  }

  private apply(config: RunnerConfig): void {
    const { release, env } = this.deps;
    this.config = config;
    this.runners = [];
    for (const entry of config.runners ?? []) {
      // Since v18.10.0 token and url may name environment variables.
      const token = release.expandsCredentialsEnv ? expandVariables(entry.token ?? "", env) : (entry.token ?? "");
      const url = release.expandsCredentialsEnv ? expandVariables(entry.url ?? "", env) : (entry.url ?? "");
      const shortToken = shortenToken(token, release);
      if (!token.trim() && release.skipsRunnersWithoutToken) {
        this.deps.log(
          `WARNING: Runner token is empty or whitespace; this runner will be skipped during job polling. Check the 'token' field in your config.toml for this runner.  runner=${shortToken} runner_name=${entry.name ?? ""}`,
        );
        continue;
      }
      this.runners.push({ entry: { ...entry, url, token }, credentials: { url, token }, shortToken });
    }
  }

  private scheduleReloadCheck(): void {
    this.timer(RELOAD_CONFIG_INTERVAL_MS, () => {
      if (this.stopping) return;
      const file = this.deps.fs.read(this.configFile);
      if (file && file.mtimeMs > this.configMtime) {
        const error = this.load();
        if (error) {
          this.deps.log(`ERROR: Failed to load config ${error}  ${this.builds()}`);
          // Not the same file again.
          this.configMtime = file.mtimeMs;
        }
      }
      this.scheduleReloadCheck();
    });
  }

  private schedulePoll(delayMs: number): void {
    this.timer(delayMs, () => {
      if (this.stopping) return;
      this.poll();
      this.schedulePoll((this.config.check_interval || DEFAULT_CHECK_INTERVAL_SECONDS) * 1000);
    });
  }

  private poll(): void {
    for (const runner of this.runners) this.requestFor(runner);
  }

  /** One request for a runner entry; a job received means asking again at once, as the runner's feeder does. */
  private requestFor(runner: Runner): void {
    const concurrent = this.config.concurrent ?? DEFAULT_CONCURRENT;
    if (this.stopping || this.active.size >= concurrent) return;
    if (runner.entry.limit && this.activeFor(runner) >= runner.entry.limit) return;
    this.deps.gitlab.requestJob(runner.credentials, (job, answer) => {
      if (answer === "forbidden") {
        this.deps.log(
          `ERROR: Checking for jobs... forbidden                 runner=${runner.shortToken} status=POST ${runner.credentials.url.replace(/\/+$/, "")}/api/v4/jobs/request: 403 Forbidden`,
        );
        return;
      }
      if (!job || this.stopping) return;
      const slot = freeProjectSlot(
        [...this.active.values()]
          .filter((a) => a.input.shortToken === runner.shortToken && a.input.job.project.id === job.project.id)
          .map((a) => a.input.slot),
      );
      const run = new JobRun(
        { ...this.deps, after: (ms, cb) => this.timer(ms, cb) },
        {
          job,
          runner: runner.entry,
          credentials: runner.credentials,
          shortToken: runner.shortToken,
          slot,
          runnerHost: this.deps.hostname,
          defaultHelperImage: this.deps.defaultHelperImage,
        },
        (done) => this.jobDone(done),
      );
      run.start();
      if (run.state !== "done") this.active.set(`${run.namespace}/${run.podName}`, run);
      this.requestFor(runner);
    });
  }

  private jobDone(run: JobRun): void {
    this.active.delete(`${run.namespace}/${run.podName}`);
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.stopping && this.stopping !== "killed" && this.active.size === 0) {
      const done = this.onIdle;
      this.onIdle = undefined;
      done?.();
    }
  }

  private activeFor(runner: Runner): number {
    let count = 0;
    for (const run of this.active.values()) if (run.input.shortToken === runner.shortToken) count++;
    return count;
  }

  private timer(ms: number, callback: () => void): () => void {
    const cancel = this.deps.clock.setTimeout(() => {
      this.cancels.delete(cancel);
      try {
        callback();
      } catch (error) {
        this.deps.onError(error);
      }
    }, ms);
    this.cancels.add(cancel);
    return () => {
      cancel();
      this.cancels.delete(cancel);
    };
  }
}
