import { findProject, requireProjectAccess } from "../auth";
import { boolParam, stringParam, type GitlabContext } from "../context";
import { ApiError, notFound, validationError } from "../errors";
import { json, type ApiRequest, type Router } from "../http";
import { iso } from "../instance";
import { ACCESS, type Hook } from "../model";
import { paginate } from "../pagination";

/** Project hooks (Maintainer role): CRUD and "Test" deliveries of job and pipeline events. */
export function hookRoutes(router: Router, ctx: GitlabContext): void {
  const { store, entities } = ctx;

  const projectFor = (req: ApiRequest, need: "read" | "write") => {
    const caller = ctx.authenticate(req, need);
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, ACCESS.maintainer);
    return project;
  };

  const hookOf = (projectId: number, id: string): Hook => {
    const hook = store.data.hooks.find((h) => h.projectId === projectId && String(h.id) === id);
    if (!hook) throw notFound("Hook");
    return hook;
  };

  const readUrl = (req: ApiRequest, required: boolean): string | undefined => {
    const url = required ? stringParam(req.input, "url", true) : stringParam(req.input, "url");
    if (url === undefined) return undefined;
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error();
    } catch {
      throw validationError({ url: ["is blocked: Only allowed schemes are http, https"] });
    }
    return url;
  };

  router.get("/projects/:id/hooks", (req) => {
    const project = projectFor(req, "read");
    return paginate(
      req,
      ctx.apiUrl,
      store.data.hooks.filter((h) => h.projectId === project.id),
      (h) => entities.hook(h),
    );
  });

  router.get("/projects/:id/hooks/:hook_id", (req) => {
    const project = projectFor(req, "read");
    return json(entities.hook(hookOf(project.id, req.params.hook_id)));
  });

  router.post("/projects/:id/hooks", (req) => {
    const project = projectFor(req, "write");
    const hook: Hook = {
      id: store.nextId("hook"),
      projectId: project.id,
      url: readUrl(req, true)!,
      token: stringParam(req.input, "token") ?? null,
      name: stringParam(req.input, "name") ?? "",
      pushEvents: boolParam(req.input, "push_events") ?? true,
      jobEvents: boolParam(req.input, "job_events") ?? false,
      pipelineEvents: boolParam(req.input, "pipeline_events") ?? false,
      enableSslVerification: boolParam(req.input, "enable_ssl_verification") ?? true,
      createdAt: iso(ctx.now()),
      deliveries: [],
      disabledUntil: null,
      recentFailures: 0,
    };
    store.data.hooks.push(hook);
    store.changed();
    return json(entities.hook(hook), 201);
  });

  router.put("/projects/:id/hooks/:hook_id", (req) => {
    const project = projectFor(req, "write");
    const hook = hookOf(project.id, req.params.hook_id);
    hook.url = readUrl(req, false) ?? hook.url;
    const token = stringParam(req.input, "token");
    if (token !== undefined) hook.token = token;
    hook.name = stringParam(req.input, "name") ?? hook.name;
    hook.pushEvents = boolParam(req.input, "push_events") ?? hook.pushEvents;
    hook.jobEvents = boolParam(req.input, "job_events") ?? hook.jobEvents;
    hook.pipelineEvents = boolParam(req.input, "pipeline_events") ?? hook.pipelineEvents;
    hook.enableSslVerification = boolParam(req.input, "enable_ssl_verification") ?? hook.enableSslVerification;
    hook.disabledUntil = null;
    hook.recentFailures = 0;
    store.changed();
    return json(entities.hook(hook));
  });

  router.delete("/projects/:id/hooks/:hook_id", (req) => {
    const project = projectFor(req, "write");
    const hook = hookOf(project.id, req.params.hook_id);
    store.data.hooks = store.data.hooks.filter((h) => h !== hook);
    store.changed();
    return { status: 204 };
  });

  router.post("/projects/:id/hooks/:hook_id/test/:trigger", async (req) => {
    const project = projectFor(req, "write");
    const hook = hookOf(project.id, req.params.hook_id);
    const pipelines = store.data.pipelines.filter((p) => p.projectId === project.id).sort((a, b) => b.id - a.id);
    if (req.params.trigger === "pipeline_events") {
      if (!pipelines[0]) throw new ApiError(422, { message: "Ensure the project has CI pipelines." });
      await ctx.hooks.deliver(hook, "Pipeline Hook", ctx.hooks.pipelinePayload(pipelines[0]));
    } else if (req.params.trigger === "job_events") {
      const job = store.data.jobs.filter((j) => j.projectId === project.id).sort((a, b) => b.id - a.id)[0];
      if (!job) throw new ApiError(422, { message: "Ensure the project has CI jobs." });
      await ctx.hooks.deliver(hook, "Job Hook", ctx.hooks.jobPayload(job));
    } else {
      throw new ApiError(400, { error: "trigger does not have a valid value" });
    }
    return json({ message: "201 Created" }, 201);
  });
}
