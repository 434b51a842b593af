import type { SeededRandom } from "@ask-ci/seeded-random";
import type { GitLabClient, JobPayload, JobSignals, JobTrace, RunnerCredentials, VerifyAnswer } from "./gitlab-client";
import { HttpJobTrace, type RemoteJobState, type TraceTransport } from "./http-trace";
import type { RegistryCredential, ServiceDef } from "./job-catalog";

/** A verify answer is used this long before it is asked again (the probe reads it; the request runs behind). */
const VERIFY_FRESH_MS = 10_000;
/** How long the runner waits for GitLab (network.NewGitLabClient's default HTTP timeout is longer; the demo is local). */
const REQUEST_TIMEOUT_MS = 60_000;
/** Before a command that verifies runs, its verify request gets this long to come back. */
const PREPARE_TIMEOUT_MS = 5_000;
/** A job without a simulated length of its own runs this long (median, before the speed-up). */
const MEDIAN_JOB_MINUTES = 2;
/** Share of jobs whose script fails, as in the built-in stand-in's pipelines. */
const SCRIPT_FAILURE_RATE = 0.08;

/** What the simulated runner tells GitLab about itself (network/gitlab.go getRunnerVersion / common.VersionInfo). */
const RUNNER_INFO = {
  name: "gitlab-runner",
  platform: "linux",
  architecture: "amd64",
  executor: "kubernetes",
  shell: "bash",
  features: {
    variables: true,
    image: true,
    services: true,
    artifacts: true,
    cache: true,
    upload_multiple_artifacts: true,
    upload_raw_artifacts: true,
    session: false,
    terminal: false,
    refspecs: true,
    masking: true,
    proxy: false,
    raw_variables: true,
    artifacts_exclude: true,
    multi_build_steps: true,
    trace_reset: true,
    trace_checksum: true,
    trace_size: true,
    vault_secrets: true,
    cancelable: true,
    return_exit_code: true,
    service_variables: true,
    service_multiple_aliases: true,
    image_executor_opts: true,
    service_executor_opts: true,
    cancel_gracefully: true,
    native_steps_integration: false,
    two_phase_job_commit: false,
  },
} as const;

/** The parts of a POST /jobs/request 201 body (spec.Job) the simulation uses. */
interface JobResponse {
  id: number;
  token: string;
  job_info: {
    name: string;
    stage: string;
    project_id: number;
    project_name: string;
    project_full_path?: string;
    pipeline_id: number;
    namespace_id?: number;
    root_namespace_id?: number;
  };
  git_info: { ref: string; sha: string; before_sha: string };
  runner_info: { timeout: number };
  steps?: Array<{ name: string; script: string[] }>;
  image?: { name: string } | null;
  services?: Array<{ name: string; alias?: string | null }> | null;
  credentials?: Array<{ type: string; url: string; username: string; password: string }> | null;
  cache?: Array<{
    key?: string | null;
    paths?: string[] | null;
    untracked?: boolean | null;
    policy?: string | null;
    when?: string | null;
  }> | null;
  /** What this GitLab understands (spec.JobFeatures); the runner maps its failure reasons to these. */
  features?: { failure_reasons?: string[] | null } | null;
}

/** True for a URL the demo cluster can reach over the network: this host's loopback addresses. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

function apiUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/api/v4${path}`;
}

/**
 * A job as GitLab sent it, in the simulation's terms. GitLab says what to run, not how long it
 * takes or whether the script passes: those are drawn here (seeded), as the built-in stand-in does.
 */
export function jobFromResponse(body: JobResponse, random: SeededRandom): JobPayload {
  const info = body.job_info;
  const path = info.project_full_path ?? `project-${info.project_id}`;
  const script = (body.steps ?? []).find((s) => s.name === "script")?.script ?? [];
  const timeoutSeconds = body.runner_info.timeout;
  const services: ServiceDef[] = (body.services ?? []).map((s) => ({
    name: s.name,
    ...(s.alias ? { alias: s.alias } : {}),
  }));
  const credentials: RegistryCredential[] = (body.credentials ?? [])
    .filter((c) => c.type === "registry")
    .map((c) => ({ type: "registry", url: c.url, username: c.username, password: c.password }));
  const minutes = Math.min(10, Math.max(0.5, random.logNormal(MEDIAN_JOB_MINUTES, 0.45)));
  return {
    id: body.id,
    token: body.token,
    pipelineId: info.pipeline_id,
    name: info.name,
    stage: info.stage,
    project: {
      id: info.project_id,
      path,
      name: info.project_name,
      namespaceId: info.namespace_id ?? 0,
      rootNamespaceId: info.root_namespace_id ?? info.namespace_id ?? 0,
    },
    ref: body.git_info.ref,
    sha: body.git_info.sha,
    beforeSha: body.git_info.before_sha,
    image: body.image?.name || undefined,
    services,
    template: {
      name: info.name,
      stage: info.stage,
      image: body.image?.name || undefined,
      services,
      timeoutMinutes: timeoutSeconds / 60,
      script: script.map((command) => ({ command, output: [] })),
      medianMinutes: MEDIAN_JOB_MINUTES,
    },
    simulatedMs: Math.round(minutes * 60_000),
    exitCode: random.chance(SCRIPT_FAILURE_RATE) ? 1 : 0,
    timeoutSeconds,
    credentials,
    cache: (body.cache ?? []).map((c) => ({
      key: c.key ?? "",
      paths: c.paths ?? [],
      untracked: c.untracked ?? false,
      policy: c.policy || "pull-push",
      when: c.when || "on_success",
    })),
    failureReasons: body.features?.failure_reasons ?? [],
  };
}

/**
 * The runner's side of the runner protocol over HTTP, for a GitLab the demo cluster can reach
 * (the demo GitLab on this host): POST /runners/verify, POST /jobs/request (one request at a time
 * per runner token, with `last_update` for Workhorse's long polling), and each job's log and state
 * as the runner sends them while it runs (http-trace.ts: incremental PATCH /jobs/:id/trace, PUT
 * /jobs/:id, cancel and abort from GitLab's answers). Answers arrive on the real clock, whatever clock the cluster runs.
 *
 * verify() answers synchronously (the simulated shell runs commands to completion), so it returns
 * the last answer GitLab gave and asks again behind it once that is VERIFY_FRESH_MS old;
 * prepare() asks first, before a command that needs the answer runs.
 */
export class HttpGitLab implements GitLabClient {
  private readonly verified = new Map<string, { answer: VerifyAnswer; at: number }>();
  private readonly verifying = new Map<string, Promise<void>>();
  private readonly polls = new Map<string, { inFlight: boolean; lastUpdate?: string }>();
  private readonly abort = new AbortController();
  private readonly traces = new Set<HttpJobTrace>();

  constructor(
    private readonly random: SeededRandom,
    /** Where an error thrown by a callback goes (the simulation's own handler). */
    private readonly onError: (error: unknown) => void,
    /** The runner process's system id (GitLab shows one runner manager per id). */
    private readonly systemId = `s_${random.string(12)}`,
  ) {}

  verify(credentials: RunnerCredentials): VerifyAnswer | undefined {
    const key = `${credentials.url} ${credentials.token}`;
    const cached = this.verified.get(key);
    if (!cached || Date.now() - cached.at > VERIFY_FRESH_MS) void this.askVerify(credentials);
    return cached?.answer;
  }

  prepare(credentials: RunnerCredentials[], done: () => void): void {
    const pending = credentials.filter((c) => !this.verified.has(`${c.url} ${c.token}`)).map((c) => this.askVerify(c));
    if (!pending.length) return done();
    let called = false;
    const once = () => {
      if (called) return;
      called = true;
      this.safely(done);
    };
    const timer = setTimeout(once, PREPARE_TIMEOUT_MS);
    timer.unref?.();
    void Promise.all(pending).then(() => {
      clearTimeout(timer);
      once();
    });
  }

  requestJob(credentials: RunnerCredentials, done: (job: JobPayload | null, answer: VerifyAnswer) => void): void {
    const poll = this.polls.get(credentials.token) ?? { inFlight: false };
    this.polls.set(credentials.token, poll);
    // The runner keeps one request per runner open; the next check_interval tick asks again.
    if (poll.inFlight) return;
    poll.inFlight = true;
    const body = {
      token: credentials.token,
      system_id: this.systemId,
      info: RUNNER_INFO,
      ...(poll.lastUpdate ? { last_update: poll.lastUpdate } : {}),
    };
    this.send("POST", apiUrl(credentials.url, "/jobs/request"), body)
      .then(async (response) => {
        poll.inFlight = false;
        const lastUpdate = response.headers.get("x-gitlab-last-update");
        if (lastUpdate) poll.lastUpdate = lastUpdate;
        if (response.status === 201) {
          const job = jobFromResponse((await response.json()) as JobResponse, this.random);
          this.safely(() => done(job, "valid"));
        } else if (response.status === 403) this.safely(() => done(null, "forbidden"));
        else this.safely(() => done(null, response.status === 204 ? "valid" : "unreachable"));
      })
      .catch(() => {
        poll.inFlight = false;
        this.safely(() => done(null, "unreachable"));
      });
  }

  startTrace(credentials: RunnerCredentials, job: JobPayload, signals: JobSignals): JobTrace {
    const url = apiUrl(credentials.url, `/jobs/${job.id}`);
    const transport: TraceTransport = {
      patch: (start, bytes) =>
        this.remoteState(
          this.send("PATCH", `${url}/trace?debug_trace=false`, bytes, {
            "Content-Type": "text/plain",
            "Content-Range": `${start}-${start + bytes.length - 1}`,
            "JOB-TOKEN": job.token,
          }),
        ),
      update: (body) =>
        this.remoteState(
          this.send("PUT", url, { info: RUNNER_INFO, token: job.token, ...body }, { "JOB-TOKEN": job.token }),
        ),
    };
    const trace = new HttpJobTrace(transport, signals, this.onError, () => this.traces.delete(trace));
    this.traces.add(trace);
    return trace;
  }

  /** GitLab's answer as the runner reads it; a request that failed (network, timeout) is status 0. */
  private async remoteState(request: Promise<Response>): Promise<RemoteJobState> {
    try {
      const response = await request;
      await response.body?.cancel();
      const interval = Number.parseInt(response.headers.get("x-gitlab-trace-update-interval") ?? "", 10);
      return {
        status: response.status,
        jobStatus: response.headers.get("job-status"),
        updateIntervalMs: Number.isSafeInteger(interval) ? interval * 1000 : null,
        range: response.headers.get("range"),
      };
    } catch {
      return { status: 0, jobStatus: null, updateIntervalMs: null, range: null };
    }
  }

  stop(): void {
    for (const trace of this.traces) trace.stop();
    this.abort.abort();
  }

  private askVerify(credentials: RunnerCredentials): Promise<void> {
    const key = `${credentials.url} ${credentials.token}`;
    const running = this.verifying.get(key);
    if (running) return running;
    const request = this.send("POST", apiUrl(credentials.url, "/runners/verify"), {
      token: credentials.token,
      system_id: this.systemId,
    })
      .then((response): VerifyAnswer => (response.ok ? "valid" : response.status === 403 ? "forbidden" : "unreachable"))
      .catch((): VerifyAnswer => "unreachable")
      .then((answer) => {
        this.verified.set(key, { answer, at: Date.now() });
        this.verifying.delete(key);
      });
    this.verifying.set(key, request);
    return request;
  }

  private send(method: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const json = !(body instanceof Buffer);
    return fetch(url, {
      method,
      headers: { ...(json ? { "Content-Type": "application/json" } : {}), "User-Agent": "gitlab-runner", ...headers },
      body: json ? JSON.stringify(body) : new Uint8Array(body),
      signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
  }

  private safely(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.onError(error);
    }
  }
}
