import type { GitlabContext } from "./context";
import { stringParam } from "./context";
import { ApiError, forbidden, notFound } from "./errors";
import type { ApiRequest, ApiResponse, Router } from "./http";
import { iso } from "./instance";
import type { Job, Runner, RunnerManager } from "./model";
import { jobPayload } from "./runner-payload";
import { digest, newRunnerToken } from "./secrets";

/** GitLab's default maximum job log is 100 MB; the demo keeps 16 MiB per job to stay small. */
export const MAX_TRACE_BYTES = 16 * 1024 * 1024;

/**
 * The runner protocol (lib/api/ci/runner.rb), as gitlab-runner's network/gitlab.go calls it:
 * verify, reset token, unregister, request a job (with Workhorse's long polling), update a job,
 * append to its trace, upload artifacts.
 */
export function runnerProtocolRoutes(router: Router, ctx: GitlabContext): void {
  const { store, ci, queue } = ctx;

  // Rails reads the runner token from the `token` parameter only (gitlab-runner also sends RUNNER-TOKEN).
  const runnerFrom = (req: ApiRequest): Runner => {
    const token = stringParam(req.input, "token", true);
    const runner = store.data.runners.find((r) => r.tokenDigest === digest(token));
    if (!runner) throw forbidden();
    return runner;
  };

  /** Each gitlab-runner process (system_id) is a runner manager; every call counts as contact. */
  const touch = (req: ApiRequest, runner: Runner): RunnerManager => {
    const systemId = stringParam(req.input, "system_id") ?? "s_unknown";
    const info = (req.input.info ?? {}) as Record<string, unknown>;
    const features = (info.features ?? {}) as Record<string, unknown>;
    let manager = runner.managers.find((m) => m.systemId === systemId);
    const now = iso(ctx.now());
    if (!manager) {
      manager = {
        systemId,
        createdAt: now,
        contactedAt: null,
        version: null,
        revision: null,
        platform: null,
        architecture: null,
        executor: null,
        ipAddress: null,
        cancelGracefully: false,
      };
      runner.managers.push(manager);
    }
    manager.contactedAt = now;
    manager.ipAddress = req.remoteAddress;
    if (typeof info.version === "string") manager.version = info.version;
    if (typeof info.revision === "string") manager.revision = info.revision;
    if (typeof info.platform === "string") manager.platform = info.platform;
    if (typeof info.architecture === "string") manager.architecture = info.architecture;
    if (typeof info.executor === "string") manager.executor = info.executor;
    if ("cancel_gracefully" in features) manager.cancelGracefully = features.cancel_gracefully === true;
    runner.contactedAt = now;
    store.changed();
    return manager;
  };

  router.post("/runners/verify", (req) => {
    const runner = runnerFrom(req);
    touch(req, runner);
    return {
      status: 200,
      body: { id: runner.id, token: stringParam(req.input, "token") ?? null, token_expires_at: runner.tokenExpiresAt },
    };
  });

  router.post("/runners/reset_authentication_token", (req) => {
    const runner = runnerFrom(req);
    const token = newRunnerToken();
    runner.tokenDigest = digest(token);
    store.changed();
    return { status: 201, body: { token, token_expires_at: runner.tokenExpiresAt } };
  });

  // Registration tokens are gone (GitLab 17+ registers runners with POST /user/runners).
  router.post("/runners", () => {
    throw forbidden();
  });

  router.delete("/runners", (req) => {
    const runner = runnerFrom(req);
    store.data.runners = store.data.runners.filter((r) => r.id !== runner.id);
    store.changed();
    return { status: 204 };
  });

  router.delete("/runners/managers", (req) => {
    const runner = runnerFrom(req);
    const systemId = stringParam(req.input, "system_id", true);
    runner.managers = runner.managers.filter((m) => m.systemId !== systemId);
    store.changed();
    return { status: 204 };
  });

  router.post("/jobs/request", async (req) => {
    // Workhorse marks every answer of a long-polling instance (internal/builds/register.go).
    const polling: Record<string, string> = queue.longPollMs > 0 ? { "Gitlab-Ci-Builds-Polling": "yes" } : {};
    const runner = runnerFrom(req);
    const lastUpdate = stringParam(req.input, "last_update");
    if (queue.longPollMs > 0 && lastUpdate !== undefined && lastUpdate === queue.value(runner)) {
      // Workhorse answers this one itself, without Rails: 204 on a change as on a timeout, and no
      // X-GitLab-Last-Update, so the runner asks again with the same value and Rails answers.
      await queue.waitForChange(runner, req.signal);
      return { status: 204, headers: polling };
    }
    const manager = touch(req, runner);
    const noJob = (value: string): ApiResponse => ({
      status: 204,
      headers: { ...polling, "X-GitLab-Last-Update": value },
    });
    if (runner.paused) return noJob(queue.value(runner));
    // Rails' own cache check (runner_queue_value_latest?): nothing new since the runner last asked.
    if (lastUpdate !== undefined && lastUpdate === queue.value(runner)) return noJob(lastUpdate);
    const value = queue.value(runner);
    const candidates = ci.pendingJobsFor(runner);
    const job = candidates[0];
    if (!job) return noJob(value);
    const token = ci.assign(job, runner, manager);
    return {
      status: 201,
      headers: polling,
      body: jobPayload(store, ci, ctx.instance, job, runner, token, candidates.length - 1),
    };
  });

  /**
   * The job named in the path, authenticated by its job token (`token` or JOB-TOKEN), as
   * API::Ci::Helpers::Runner#authenticate_job! does: an unknown job or a wrong token is a plain 403
   * (never 404, so the runner terminates the job), a job that is no longer running a 403 with its
   * Job-Status.
   */
  const jobFrom = (req: ApiRequest): Job => {
    const job = /^\d+$/.test(req.params.id) ? store.job(Number(req.params.id)) : undefined;
    if (!job) throw forbidden();
    const header = req.headers["job-token"];
    const token = stringParam(req.input, "token") ?? (Array.isArray(header) ? header[0] : header);
    if (!token || !job.tokenDigest || digest(token) !== job.tokenDigest) throw forbidden();
    if (job.erasedAt) throw forbidden("Job has been erased!");
    if (job.status !== "running" && job.status !== "canceling") {
      throw new ApiError(
        403,
        { message: "403 Forbidden - Job is not processing on runner" },
        { "Job-Status": job.status },
      );
    }
    return job;
  };

  router.put("/jobs/:id", (req) => {
    const job = jobFrom(req);
    const runner = job.runnerId ? store.runner(job.runnerId) : undefined;
    if (runner) touch(req, runner);
    job.heartbeatAt = iso(ctx.now());
    const state = stringParam(req.input, "state");
    if (state !== undefined && !["running", "success", "failed", "pending"].includes(state)) {
      throw new ApiError(400, { error: "state does not have a valid value" });
    }
    const exitCode = req.input.exit_code === undefined ? null : Number(req.input.exit_code);
    if (state === "success" || state === "failed") {
      ci.finish(
        job,
        state,
        stringParam(req.input, "failure_reason") ?? null,
        Number.isFinite(exitCode) ? exitCode : null,
      );
    }
    store.changed();
    return {
      status: 200,
      text: "200",
      headers: {
        "Job-Status": job.status,
        "X-GitLab-Trace-Update-Interval": String(queue.traceUpdateInterval(job.id)),
      },
    };
  });

  router.patch("/jobs/:id/trace", (req) => {
    const job = jobFrom(req);
    const range = req.headers["content-range"];
    if (typeof range !== "string") throw new ApiError(400, { message: "400 Missing header Content-Range" });
    const start = Number(/^(\d+)-\d+$/.exec(range.trim())?.[1]);
    if (!Number.isSafeInteger(start)) throw new ApiError(400, { message: "400 Bad request - invalid Content-Range" });
    const current = store.trace(job.id);
    job.heartbeatAt = iso(ctx.now());
    if (start > current.length) {
      // Gitlab::Ci::Trace#append refuses a gap; the runner resends from the size it is told.
      throw new ApiError(416, { message: "416 Range Not Satisfiable" }, { Range: `0-${current.length}` });
    }
    if (start + req.rawBody.length > MAX_TRACE_BYTES) {
      throw new ApiError(
        403,
        { message: "403 Forbidden - The job log size limit was reached" },
        { "Job-Status": job.status },
      );
    }
    // An offset before the end rewrites from there (the runner's trace reset after a 416).
    const next = Buffer.concat([current.subarray(0, start), req.rawBody]);
    store.setTrace(job.id, next);
    job.traceSize = next.length;
    return {
      status: 202,
      text: "",
      headers: {
        "Job-Status": job.status,
        Range: `0-${next.length}`,
        "X-GitLab-Trace-Update-Interval": String(queue.traceUpdateInterval(job.id)),
      },
    };
  });

  router.post("/jobs/:id/artifacts", (req) => {
    jobFrom(req);
    return { status: 201, text: "201" };
  });

  router.get("/jobs/:id/artifacts", () => {
    throw notFound();
  });
}
