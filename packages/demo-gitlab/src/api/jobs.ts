import { findProject, READ_BUILDS, requireProjectAccess, UPDATE_BUILDS } from "../auth";
import { boolParam, type GitlabContext } from "../context";
import { ApiError, badRequest, forbidden, notFound } from "../errors";
import { json, type ApiRequest, type Router } from "../http";
import { keysetByCursor, paginate, wantsKeyset } from "../pagination";
import type { Job, Project } from "../model";

/** CommitStatus::AVAILABLE_STATUSES: the values `scope[]` accepts. */
const JOB_STATUSES = [
  "created",
  "waiting_for_resource",
  "preparing",
  "waiting_for_callback",
  "pending",
  "running",
  "success",
  "failed",
  "canceling",
  "canceled",
  "skipped",
  "manual",
  "scheduled",
];

export function filterJobsByScope(req: ApiRequest, jobs: Job[]): Job[] {
  const scopes = [...req.query.getAll("scope[]"), ...req.query.getAll("scope")].flatMap((s) => s.split(","));
  if (scopes.length === 0) return jobs;
  if (scopes.some((s) => !JOB_STATUSES.includes(s)))
    throw new ApiError(400, { message: "400 Bad request - Scope contains invalid value(s)" });
  return jobs.filter((j) => scopes.includes(j.status));
}

/** Jobs: list, get, trace, cancel, retry, play, erase. */
export function jobRoutes(router: Router, ctx: GitlabContext): void {
  const { store, entities, ci } = ctx;

  const jobOf = (project: Project, id: string): Job => {
    const job = /^\d+$/.test(id) ? store.job(Number(id)) : undefined;
    if (!job || job.projectId !== project.id) throw notFound();
    return job;
  };

  router.get("/projects/:id/jobs", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, READ_BUILDS);
    const jobs = filterJobsByScope(
      req,
      store.data.jobs.filter((j) => j.projectId === project.id),
    ).sort((a, b) => b.id - a.id);
    if (wantsKeyset(req)) return keysetByCursor(req, ctx.apiUrl, jobs, (j) => entities.job(j));
    // GitLab pages project jobs without counting them (no X-Total).
    return paginate(req, ctx.apiUrl, jobs, (j) => entities.job(j), { withoutCount: true });
  });

  router.get("/projects/:id/jobs/:job_id", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, READ_BUILDS);
    return json(entities.job(jobOf(project, req.params.job_id)));
  });

  router.get("/projects/:id/jobs/:job_id/trace", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, READ_BUILDS);
    const job = jobOf(project, req.params.job_id);
    ctx.queue.traceWatched(job.id);
    return {
      status: 200,
      text: job.erasedAt ? "" : store.trace(job.id).toString("utf8"),
      headers: { "Content-Type": "text/plain", "Content-Disposition": `infile; filename="${job.id}.log"` },
    };
  });

  router.post("/projects/:id/jobs/:job_id/cancel", (req) => {
    const caller = ctx.authenticate(req, "write");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, UPDATE_BUILDS);
    const job = jobOf(project, req.params.job_id);
    // `force` ("Force cancellation for a job with a state of canceling", gitlab-org/gitlab!179137): the job is
    // canceled without waiting for the runner, whose next update or trace patch then gets a 403.
    if (boolParam(req.input, "force") && job.status === "canceling") ci.forceCancel(job);
    else ci.cancelJob(job);
    return json(entities.job(job), 201);
  });

  router.post("/projects/:id/jobs/:job_id/retry", (req) => {
    const caller = ctx.authenticate(req, "write");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, UPDATE_BUILDS);
    const job = jobOf(project, req.params.job_id);
    if (!ci.retryable(job)) throw forbidden("Job is not retryable");
    return json(entities.job(ci.retryJob(job, caller.user.id)), 201);
  });

  router.post("/projects/:id/jobs/:job_id/play", (req) => {
    const caller = ctx.authenticate(req, "write");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, UPDATE_BUILDS);
    const job = jobOf(project, req.params.job_id);
    if (!ci.playable(job)) throw badRequest("Unplayable Job");
    const variables: Record<string, string> = {};
    const attrs = req.input.job_variables_attributes;
    for (const item of Array.isArray(attrs) ? attrs : []) {
      if (item && typeof item === "object" && typeof item.key === "string")
        variables[item.key] = String(item.value ?? "");
    }
    ci.play(job, caller.user.id, variables);
    return json(entities.job(job), 200);
  });

  router.post("/projects/:id/jobs/:job_id/erase", (req) => {
    const caller = ctx.authenticate(req, "write");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, UPDATE_BUILDS);
    const job = jobOf(project, req.params.job_id);
    if (!["success", "failed", "canceled"].includes(job.status) || job.erasedAt)
      throw forbidden("Job is not erasable!");
    job.erasedAt = new Date(ctx.now()).toISOString();
    store.setTrace(job.id, Buffer.alloc(0));
    job.traceSize = 0;
    return json(entities.job(job), 201);
  });
}
