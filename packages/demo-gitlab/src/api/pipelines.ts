import { findProject, READ_BUILDS, requireProjectAccess, UPDATE_BUILDS } from "../auth";
import { boolParam, stringParam, type GitlabContext } from "../context";
import { ApiError, forbidden, notFound, validationError } from "../errors";
import { json, type ApiRequest, type Router } from "../http";
import { paginate } from "../pagination";
import type { Job, Pipeline, Project } from "../model";
import { filterJobsByScope } from "./jobs";

const PIPELINE_STATUSES = [
  "created",
  "waiting_for_resource",
  "preparing",
  "pending",
  "running",
  "success",
  "failed",
  "canceled",
  "skipped",
  "manual",
  "scheduled",
];
const PIPELINE_SOURCES = [
  "push",
  "web",
  "trigger",
  "schedule",
  "api",
  "external",
  "pipeline",
  "chat",
  "merge_request_event",
];

/** Pipelines: list, get, latest, create, retry, cancel, delete, variables, jobs. */
export function pipelineRoutes(router: Router, ctx: GitlabContext): void {
  const { store, entities, ci } = ctx;

  const pipelineOf = (project: Project, id: string): Pipeline => {
    const pipeline = /^\d+$/.test(id) ? store.pipeline(Number(id)) : undefined;
    if (!pipeline || pipeline.projectId !== project.id) throw notFound();
    return pipeline;
  };

  router.get("/projects/:id/pipelines", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, READ_BUILDS);
    const q = Object.fromEntries(req.query);
    const status = q.status;
    if (status && !PIPELINE_STATUSES.includes(status))
      throw new ApiError(400, { error: "status does not have a valid value" });
    if (q.source && !PIPELINE_SOURCES.includes(q.source))
      throw new ApiError(400, { error: "source does not have a valid value" });
    const scope = q.scope;
    if (scope && !["running", "pending", "finished", "branches", "tags"].includes(scope)) {
      throw new ApiError(400, { error: "scope does not have a valid value" });
    }
    const username = q.username;
    let list = store.data.pipelines.filter((p) => p.projectId === project.id);
    if (status) list = list.filter((p) => p.status === status);
    if (q.ref) list = list.filter((p) => p.ref === q.ref);
    if (q.sha) list = list.filter((p) => p.sha === q.sha);
    if (q.source) list = list.filter((p) => p.source === q.source);
    if (username) list = list.filter((p) => store.user(p.userId)?.username === username);
    if (scope === "running" || scope === "pending") list = list.filter((p) => p.status === scope);
    if (scope === "finished") list = list.filter((p) => ["success", "failed", "canceled"].includes(p.status));
    if (scope === "tags") list = list.filter((p) => p.tag);
    if (scope === "branches") {
      // The latest pipeline of each branch.
      const latest = new Map<string, Pipeline>();
      for (const p of list) if (!p.tag && (latest.get(p.ref)?.id ?? 0) < p.id) latest.set(p.ref, p);
      list = [...latest.values()];
    }
    for (const [param, field, cmp] of [
      ["updated_after", "updatedAt", 1],
      ["updated_before", "updatedAt", -1],
      ["created_after", "createdAt", 1],
      ["created_before", "createdAt", -1],
    ] as const) {
      if (!q[param]) continue;
      const at = Date.parse(q[param]);
      if (Number.isNaN(at)) throw new ApiError(400, { error: `${param} is invalid` });
      list = list.filter((p) => (cmp > 0 ? Date.parse(p[field]) > at : Date.parse(p[field]) < at));
    }
    const orderBy = q.order_by ?? "id";
    if (!["id", "status", "ref", "updated_at", "user_id"].includes(orderBy)) {
      throw new ApiError(400, { error: "order_by does not have a valid value" });
    }
    const sort = q.sort ?? "desc";
    if (sort !== "asc" && sort !== "desc") throw new ApiError(400, { error: "sort does not have a valid value" });
    const key = (p: Pipeline): string | number =>
      orderBy === "status"
        ? p.status
        : orderBy === "ref"
          ? p.ref
          : orderBy === "updated_at"
            ? p.updatedAt
            : orderBy === "user_id"
              ? p.userId
              : p.id;
    list = [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id));
    if (sort === "desc") list.reverse();
    return paginate(req, ctx.apiUrl, list, (p) => ({ ...entities.pipelineBasic(p), name: null }));
  });

  router.get("/projects/:id/pipelines/latest", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, READ_BUILDS);
    const ref = stringParam(req.input, "ref") ?? project.defaultBranch;
    const latest = store.data.pipelines
      .filter((p) => p.projectId === project.id && p.ref === ref)
      .sort((a, b) => b.id - a.id)[0];
    if (!latest) throw notFound();
    return json(entities.pipeline(latest, ci.pipelineDuration(latest)));
  });

  router.get("/projects/:id/pipelines/:pipeline_id", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, READ_BUILDS);
    const pipeline = pipelineOf(project, req.params.pipeline_id);
    return json(entities.pipeline(pipeline, ci.pipelineDuration(pipeline)));
  });

  router.get("/projects/:id/pipelines/:pipeline_id/variables", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, UPDATE_BUILDS);
    const pipeline = pipelineOf(project, req.params.pipeline_id);
    return json(Object.entries(pipeline.variables).map(([key, value]) => ({ key, value, variable_type: "env_var" })));
  });

  router.get("/projects/:id/pipelines/:pipeline_id/jobs", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, READ_BUILDS);
    const pipeline = pipelineOf(project, req.params.pipeline_id);
    const includeRetried = boolParam(Object.fromEntries(req.query), "include_retried") ?? false;
    const jobs = filterJobsByScope(req, store.pipelineJobs(pipeline.id, includeRetried)).sort((a, b) => a.id - b.id);
    return paginate(req, ctx.apiUrl, jobs, (j: Job) => entities.job(j));
  });

  router.post("/projects/:id/pipeline", (req) => createPipeline(req));
  router.post("/projects/:id/pipelines", (req) => createPipeline(req));

  function createPipeline(req: ApiRequest) {
    const caller = ctx.authenticate(req, "write");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, UPDATE_BUILDS);
    const ref = stringParam(req.input, "ref", true);
    const variables = pipelineVariablesParam(req.input.variables);
    const result = ci.createPipeline(project, { ref, source: "api", userId: caller.user.id, variables });
    if (!result.ok) throw validationError({ base: result.errors });
    return json(entities.pipeline(result.pipeline, ci.pipelineDuration(result.pipeline)), 201);
  }

  router.post("/projects/:id/pipelines/:pipeline_id/retry", (req) => {
    const caller = ctx.authenticate(req, "write");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, UPDATE_BUILDS);
    const pipeline = pipelineOf(project, req.params.pipeline_id);
    ci.retryPipeline(pipeline, caller.user.id);
    return json(entities.pipeline(pipeline, ci.pipelineDuration(pipeline)), 201);
  });

  router.post("/projects/:id/pipelines/:pipeline_id/cancel", (req) => {
    const caller = ctx.authenticate(req, "write");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, UPDATE_BUILDS);
    const pipeline = pipelineOf(project, req.params.pipeline_id);
    ci.cancelPipeline(pipeline);
    return json(entities.pipeline(pipeline, ci.pipelineDuration(pipeline)), 200);
  });

  router.delete("/projects/:id/pipelines/:pipeline_id", (req) => {
    const caller = ctx.authenticate(req, "write");
    const project = findProject(store, caller, req.params.id);
    // Deleting a pipeline takes the Owner role on GitLab.
    if (!caller.user.isAdmin) requireProjectAccess(store, caller, project, 50);
    const pipeline = pipelineOf(project, req.params.pipeline_id);
    if (store.pipelineJobs(pipeline.id).some((j) => j.status === "running" || j.status === "pending")) {
      // GitLab cancels running jobs before destroying; the demo asks for a cancel first to keep runners consistent.
      throw forbidden("Pipeline has running jobs; cancel it first");
    }
    store.data.jobs = store.data.jobs.filter((j) => j.pipelineId !== pipeline.id);
    store.data.pipelines = store.data.pipelines.filter((p) => p.id !== pipeline.id);
    store.changed();
    return { status: 204 };
  });
}

/** `variables: [{key, value, variable_type}]` of POST /projects/:id/pipeline. */
function pipelineVariablesParam(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  const list = Array.isArray(value) ? value : typeof value === "object" ? Object.values(value as object) : null;
  if (!list) throw new ApiError(400, { error: "variables is invalid" });
  const out: Record<string, string> = {};
  for (const item of list) {
    if (!item || typeof item !== "object" || typeof (item as { key?: unknown }).key !== "string") {
      throw new ApiError(400, { error: "variables[key] is missing" });
    }
    const { key, value: v } = item as { key: string; value?: unknown };
    if (!/^[a-zA-Z0-9_]+$/.test(key)) throw new ApiError(400, { error: "variables[key] is invalid" });
    out[key] = v === undefined || v === null ? "" : String(v);
  }
  return out;
}
