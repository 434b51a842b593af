import "server-only";
import type { z } from "zod";
import { nextPageUrl } from "./pagination";
import { networkFailure } from "@/lib/http/network-errors";
import { GitlabApiError, gitlabProblem, problemForStatus, type GitlabProblem } from "./problems";
import { DEFAULT_RETRY_POLICY, rateLimitResetWaitMs, retryDelay, type RetryPolicy } from "./retry";
import {
  createdRunnerSchema,
  hookSchema,
  jobSchema,
  pipelineSchema,
  projectSchema,
  resetTokenSchema,
  runnerManagerSchema,
  runnerSchema,
  tokenSelfSchema,
  userSchema,
  verifiedRunnerSchema,
  versionSchema,
} from "./schemas";
import { nodeTransport, TransportError, type Transport } from "./transport.server";

/** Where and as whom: the instance URL (may have a relative root, e.g. https://host/gitlab) and its token. */
export interface GitlabTarget {
  url: string;
  token: string;
  caCertificate?: string;
}

export interface GitlabClientOptions {
  timeoutMs?: number;
  retry?: RetryPolicy;
  transport?: Transport;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  maxResponseBytes?: number;
}

type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions<S extends z.ZodType> {
  query?: Query;
  body?: Record<string, unknown>;
  schema: S;
  /** Send without the token (POST /runners/verify authenticates by its body). */
  anonymous?: boolean;
}

export interface RunnerCreation {
  runnerType: "instance_type" | "group_type" | "project_type";
  groupId?: number;
  projectId?: number;
  description: string;
  tagList: string[];
  runUntagged: boolean;
  locked: boolean;
  paused: boolean;
  maximumTimeout?: number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Typed calls to the GitLab REST API v4 (decision 009): every answer validated with zod, offset and
 * keyset pagination followed, RateLimit-* and Retry-After respected, transient failures retried with
 * jittered exponential backoff, a deadline on every attempt, and 401/403/404 as distinct problems.
 */
export class GitlabClient {
  readonly apiBase: URL;
  private notBefore = 0;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly transport: Transport;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly maxResponseBytes: number;

  constructor(
    private readonly target: GitlabTarget,
    options: GitlabClientOptions = {},
  ) {
    this.apiBase = apiBaseOf(target.url);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.transport = options.transport ?? nodeTransport;
    this.sleep = options.sleep ?? sleepFor;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.maxResponseBytes = options.maxResponseBytes ?? 8 * 1024 * 1024;
  }

  url(path: string, query?: Query): URL {
    const url = new URL(this.apiBase.href + path.replace(/^\//, ""));
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  async request<S extends z.ZodType>(method: string, path: string, options: RequestOptions<S>): Promise<z.infer<S>> {
    return (await this.exchange(method, this.url(path, options.query), options)).data;
  }

  /** Every item of a paginated collection, page by page (100 per page), at most `maxItems`. */
  async list<S extends z.ZodType>(
    path: string,
    item: S,
    query: Query = {},
    maxItems = 10_000,
  ): Promise<Array<z.infer<S>>> {
    const items: Array<z.infer<S>> = [];
    for await (const page of this.pages(path, item, query)) {
      for (const one of page) {
        items.push(one);
        if (items.length >= maxItems) return items;
      }
    }
    return items;
  }

  /** Pages of a collection; stop iterating to stop fetching (backfill stops at what it already has). */
  async *pages<S extends z.ZodType>(path: string, item: S, query: Query = {}): AsyncGenerator<Array<z.infer<S>>> {
    let url: URL | null = this.url(path, { per_page: 100, ...query });
    const schema = item.array();
    while (url) {
      const { data, headers }: { data: Array<z.infer<S>>; headers: Headers } = await this.exchange("GET", url, {
        schema,
      });
      yield data;
      url = data.length === 0 ? null : nextPageUrl(headers, url);
    }
  }

  private async exchange<S extends z.ZodType>(
    method: string,
    url: URL,
    options: Omit<RequestOptions<S>, "query">,
  ): Promise<{ data: z.infer<S>; headers: Headers }> {
    const path = url.pathname.slice(this.apiBase.pathname.length - 1);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    for (let attempt = 1; ; attempt++) {
      const wait = this.notBefore - this.now();
      if (wait > 0) await this.sleep(wait);
      let delay: number | null;
      let failure: GitlabProblem;
      let status = 0;
      try {
        const response = await this.transport({
          method,
          url,
          headers: {
            accept: "application/json",
            "user-agent": "ask-ci",
            ...(body !== undefined ? { "content-type": "application/json" } : {}),
            ...(options.anonymous ? {} : { "private-token": this.target.token }),
          },
          body,
          caCertificate: this.target.caCertificate,
          timeoutMs: this.timeoutMs,
          maxResponseBytes: this.maxResponseBytes,
        });
        this.noteRateLimit(response.headers);
        status = response.status;
        const parsedBody = parseJson(response.text);
        if (status >= 200 && status < 300) {
          if (status === 204) return { data: undefined as z.infer<S>, headers: response.headers };
          if (parsedBody === undefined) throw new GitlabApiError(gitlabProblem("notGitlab", { path }), status);
          const parsed = options.schema.safeParse(parsedBody);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw new GitlabApiError(
              gitlabProblem("invalidResponse", { path, field: issue?.path.join(".") || "body" }),
              status,
            );
          }
          return { data: parsed.data, headers: response.headers };
        }
        failure = problemForStatus(status, parsedBody, path);
        delay = retryDelay(
          { kind: "response", status, headers: response.headers },
          method,
          attempt,
          this.now(),
          this.retry,
          this.random(),
        );
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        failure = networkProblem(error.code);
        delay = retryDelay(
          { kind: "network", code: error.code },
          method,
          attempt,
          this.now(),
          this.retry,
          this.random(),
        );
      }
      if (delay === null) throw new GitlabApiError(failure, status);
      await this.sleep(delay);
    }
  }

  private noteRateLimit(headers: Headers): void {
    const wait = rateLimitResetWaitMs(headers, this.now());
    if (wait !== null && wait > 0) this.notBefore = this.now() + Math.min(wait, this.retry.maxWaitMs);
  }

  // --- Endpoints -------------------------------------------------------------------------

  version() {
    return this.request("GET", "/version", { schema: versionSchema });
  }
  currentUser() {
    return this.request("GET", "/user", { schema: userSchema });
  }
  /** The token's own record (scopes, expiry); works for personal, group and project access tokens. */
  tokenSelf() {
    return this.request("GET", "/personal_access_tokens/self", { schema: tokenSelfSchema });
  }
  project(projectId: number | string) {
    return this.request("GET", `/projects/${encodeURIComponent(String(projectId))}`, { schema: projectSchema });
  }
  projects(query: Query = { membership: true, simple: true, order_by: "last_activity_at" }, maxItems = 500) {
    return this.list("/projects", projectSchema, query, maxItems);
  }
  job(projectId: number, jobId: number) {
    return this.request("GET", `/projects/${projectId}/jobs/${jobId}`, { schema: jobSchema });
  }
  pipeline(projectId: number, pipelineId: number) {
    return this.request("GET", `/projects/${projectId}/pipelines/${pipelineId}`, { schema: pipelineSchema });
  }
  pipelines(projectId: number, query: Query = {}, maxItems = 100) {
    return this.list(`/projects/${projectId}/pipelines`, pipelineSchema, query, maxItems);
  }
  pipelineJobs(projectId: number, pipelineId: number) {
    return this.list(`/projects/${projectId}/pipelines/${pipelineId}/jobs`, jobSchema, { include_retried: true });
  }
  createPipeline(projectId: number, ref: string, variables: Array<{ key: string; value: string }> = []) {
    return this.request("POST", `/projects/${projectId}/pipeline`, {
      schema: pipelineSchema,
      body: { ref, ...(variables.length ? { variables } : {}) },
    });
  }
  retryJob(projectId: number, jobId: number) {
    return this.request("POST", `/projects/${projectId}/jobs/${jobId}/retry`, { schema: jobSchema });
  }
  cancelJob(projectId: number, jobId: number) {
    return this.request("POST", `/projects/${projectId}/jobs/${jobId}/cancel`, { schema: jobSchema });
  }
  /** Jobs a runner processed, newest first; iterate and stop at what is already known. */
  runnerJobPages(runnerId: number, query: Query = {}) {
    return this.pages(`/runners/${runnerId}/jobs`, jobSchema, { order_by: "id", sort: "desc", ...query });
  }
  runner(runnerId: number) {
    return this.request("GET", `/runners/${runnerId}`, { schema: runnerSchema });
  }
  runnerManagers(runnerId: number) {
    return this.list(`/runners/${runnerId}/managers`, runnerManagerSchema, {}, 100);
  }
  createUserRunner(input: RunnerCreation) {
    return this.request("POST", "/user/runners", {
      schema: createdRunnerSchema,
      body: {
        runner_type: input.runnerType,
        ...(input.groupId !== undefined ? { group_id: input.groupId } : {}),
        ...(input.projectId !== undefined ? { project_id: input.projectId } : {}),
        description: input.description,
        tag_list: input.tagList.join(","),
        run_untagged: input.runUntagged,
        locked: input.locked,
        paused: input.paused,
        ...(input.maximumTimeout !== undefined ? { maximum_timeout: input.maximumTimeout } : {}),
      },
    });
  }
  /** Checks a runner authentication token (glrt-…); GitLab answers 403 for an unknown one. */
  verifyRunnerToken(token: string) {
    return this.request("POST", "/runners/verify", { schema: verifiedRunnerSchema, body: { token }, anonymous: true });
  }
  resetRunnerToken(runnerId: number) {
    return this.request("POST", `/runners/${runnerId}/reset_authentication_token`, { schema: resetTokenSchema });
  }
  deleteRunner(runnerId: number) {
    return this.request("DELETE", `/runners/${runnerId}`, { schema: runnerSchema.optional() });
  }
  projectHooks(projectId: number) {
    return this.list(`/projects/${projectId}/hooks`, hookSchema, {}, 100);
  }
  addProjectHook(projectId: number, hook: { url: string; token: string; enableSslVerification: boolean }) {
    return this.request("POST", `/projects/${projectId}/hooks`, {
      schema: hookSchema,
      body: {
        url: hook.url,
        token: hook.token,
        job_events: true,
        pipeline_events: true,
        push_events: false,
        enable_ssl_verification: hook.enableSslVerification,
      },
    });
  }
}

/** https://host[/relative-root] → https://host[/relative-root]/api/v4/ */
export function apiBaseOf(url: string): URL {
  const base = new URL(url);
  base.search = "";
  base.hash = "";
  base.pathname = `${base.pathname.replace(/\/+$/, "").replace(/\/api\/v4$/, "")}/api/v4/`;
  return base;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Node's error code → what the user can act on. */
export function networkProblem(code: string): GitlabProblem {
  // An endless or huge answer is no GitLab API: most likely the URL points at another site.
  if (code === "ERR_RESPONSE_TOO_LARGE") return gitlabProblem("notGitlab", { detail: code }, "url");
  const failure = networkFailure(code);
  switch (failure) {
    case "tlsUntrusted":
      return gitlabProblem(failure, { detail: code }, "caCertificate");
    case "tlsCertificateExpired":
      return gitlabProblem(failure, { detail: code });
    case "timeout":
      return gitlabProblem(failure, undefined, "url");
    default:
      return gitlabProblem(failure, { detail: code || "error" }, "url");
  }
}
