import type { Clock } from "../../types";
import type { SeededRandom } from "@ask-ci/seeded-random";
import { HttpGitLab, isLoopbackUrl } from "./http-gitlab";
import type { RunnerFailureReason } from "./failure-reasons";
import { JobFeed, type Job } from "./job-catalog";

/** What GitLab answers to POST /api/v4/runners/verify (network/gitlab.go VerifyRunner). */
export type VerifyAnswer = "valid" | "forbidden" | "unreachable";

/** A job handed to the runner by POST /api/v4/jobs/request, as much of it as the simulation uses. */
export type JobPayload = Job;

export interface RunnerCredentials {
  url: string;
  token: string;
}

/**
 * The runner's side of the GitLab runner protocol. Answers arrive through callbacks so the
 * built-in GitLab can answer at once (deterministic tests on a manual clock) and an HTTP one later.
 */
export interface GitLabClient {
  /** The answer verify would get now; undefined while a request is still on its way. */
  verify(credentials: RunnerCredentials): VerifyAnswer | undefined;
  /** Asks GitLab about these credentials before a command that verifies them runs; `done` when answered. */
  prepare?(credentials: RunnerCredentials[], done: () => void): void;
  /** One job request; `done(null)` when there is no job (204). */
  requestJob(credentials: RunnerCredentials, done: (job: JobPayload | null, answer: VerifyAnswer) => void): void;
  /**
   * The job's log and state on their way to GitLab from the moment the runner took it
   * (PATCH /api/v4/jobs/:id/trace, PUT /api/v4/jobs/:id); GitLab's answers may cancel or abort it.
   */
  startTrace(credentials: RunnerCredentials, job: JobPayload, signals: JobSignals): JobTrace;
  stop(): void;
}

export interface JobResult {
  state: "success" | "failed";
  /** The runner's own reason; the final update carries it as reportedFailureReason maps it for the job's GitLab. */
  failureReason?: RunnerFailureReason;
  exitCode?: number;
}

/** What GitLab's answers can ask of a running job (network/trace.go: Cancel and Abort). */
export interface JobSignals {
  /** `Job-Status: canceling`: stop the script, run what follows a failed one, report `job_canceled` (mapped: failure-reasons.ts). */
  cancel(): void;
  /** `Job-Status: canceled|failed` or 403: the job is no longer the runner's; stop it all. */
  abort(): void;
}

/** A job's log as the build writes it, and its end (common.JobTrace). */
export interface JobTrace {
  write(text: string): void;
  /** The job ended: the rest of the log, then the final update; `done` once it is over (sent, or given up). */
  finish(result: JobResult, done?: () => void): void;
  /** The runner process died: nothing more is sent. */
  stop(): void;
}

/**
 * The GitLab the demo cluster stands in for when none is connected: it accepts any runner
 * authentication token (glrt-…, glrtr-…) and rejects everything else, as GitLab does for a token
 * it does not know, and queues CI jobs for each token at `jobsPerMinute` (Poisson arrivals) from
 * a few interleaved pipelines (job-catalog.ts). It does not keep job state: the runner's reports
 * are only counted (tests read them).
 */
export class BuiltInGitLab implements GitLabClient {
  private readonly queues = new Map<string, { jobs: Job[]; feed: JobFeed; cancel?: () => void }>();
  readonly finished: Array<{ job: Job; result: JobResult; trace: string }> = [];
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly random: SeededRandom,
    private readonly ids: { jobId: number; pipelineId: number },
    private readonly jobsPerMinute: number,
    /** Jobs waiting for a busy runner are kept up to this many, oldest dropped (GitLab would time them out). */
    private readonly maxQueued = 50,
  ) {}

  verify(credentials: RunnerCredentials): VerifyAnswer {
    return isRunnerToken(credentials.token) ? "valid" : "forbidden";
  }

  requestJob(credentials: RunnerCredentials, done: (job: Job | null, answer: VerifyAnswer) => void): void {
    if (!isRunnerToken(credentials.token)) {
      done(null, "forbidden");
      return;
    }
    const queue = this.queueFor(credentials.token);
    done(queue.jobs.shift() ?? null, "valid");
  }

  /** Keeps each job's log and result (tests read them); nothing is ever canceled here. */
  startTrace(_credentials: RunnerCredentials, job: Job): JobTrace {
    let log = "";
    let open = true;
    return {
      write: (text) => {
        if (open) log += text;
      },
      finish: (result, done) => {
        if (!open) return done?.();
        open = false;
        this.finished.push({ job, result, trace: log });
        if (this.finished.length > 1000) this.finished.shift();
        done?.();
      },
      stop: () => {
        open = false;
      },
    };
  }

  stop(): void {
    this.stopped = true;
    for (const queue of this.queues.values()) queue.cancel?.();
    this.queues.clear();
  }

  private queueFor(token: string) {
    let queue = this.queues.get(token);
    if (!queue) {
      queue = { jobs: [], feed: new JobFeed(this.random.fork(token), this.ids) };
      this.queues.set(token, queue);
      // Jobs that waited while no runner asked are there at once, as in a busy GitLab.
      if (this.jobsPerMinute > 0) for (let i = 0; i < 2; i++) queue.jobs.push(queue.feed.next());
      this.scheduleArrival(queue);
    }
    return queue;
  }

  private scheduleArrival(queue: { jobs: Job[]; feed: JobFeed; cancel?: () => void }): void {
    if (this.jobsPerMinute <= 0 || this.stopped) return;
    queue.cancel = this.clock.setTimeout(
      () => {
        queue.jobs.push(queue.feed.next());
        if (queue.jobs.length > this.maxQueued) queue.jobs.shift();
        this.scheduleArrival(queue);
      },
      Math.round(this.random.exponential(60_000 / this.jobsPerMinute)),
    );
  }
}

function isRunnerToken(token: string): boolean {
  return /^glrtr?-[A-Za-z0-9_.-]{8,}$/.test(token);
}

/**
 * The GitLab a runner reaches at its `url`. The demo cluster's network is this host: a GitLab on a
 * loopback address (the demo GitLab) is spoken to over HTTP with the runner protocol, so only the
 * runners and tokens that GitLab knows get jobs, and their results land in its pipelines. Any other
 * URL (gitlab.com in the demo's own runners; there is no internet here) is the built-in stand-in.
 */
export class GitLabNetwork implements GitLabClient {
  constructor(
    readonly builtIn: BuiltInGitLab,
    readonly http: HttpGitLab,
  ) {}

  verify(credentials: RunnerCredentials): VerifyAnswer | undefined {
    return this.route(credentials).verify(credentials);
  }

  prepare(credentials: RunnerCredentials[], done: () => void): void {
    const reachable = credentials.filter((c) => isLoopbackUrl(c.url));
    if (reachable.length) this.http.prepare(reachable, done);
    else done();
  }

  requestJob(credentials: RunnerCredentials, done: (job: JobPayload | null, answer: VerifyAnswer) => void): void {
    this.route(credentials).requestJob(credentials, done);
  }

  startTrace(credentials: RunnerCredentials, job: JobPayload, signals: JobSignals): JobTrace {
    return this.route(credentials).startTrace(credentials, job, signals);
  }

  stop(): void {
    this.builtIn.stop();
    this.http.stop();
  }

  private route(credentials: RunnerCredentials): GitLabClient {
    return isLoopbackUrl(credentials.url) ? this.http : this.builtIn;
  }
}
