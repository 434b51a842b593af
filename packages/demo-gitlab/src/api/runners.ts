import { findProject, groupAccess, projectAccess, requireProjectAccess } from "../auth";
import { boolParam, intParam, listParam, stringParam, type GitlabContext } from "../context";
import type { Caller } from "../auth";
import { ApiError, forbidden, notFound, validationError } from "../errors";
import { json, type ApiRequest, type Router } from "../http";
import { iso } from "../instance";
import { ACCESS, type Runner } from "../model";
import { paginate } from "../pagination";
import { digest, newRunnerToken } from "../secrets";
import { runnerStatus } from "../entities";

const RUNNER_TYPES = ["instance_type", "group_type", "project_type"] as const;

/**
 * Runners as users manage them (lib/api/ci/runners.rb, lib/api/users.rb POST /user/runners):
 * create with an authentication token, list, get, update, delete, reset the token, its jobs.
 */
export function runnerRoutes(router: Router, ctx: GitlabContext): void {
  const { store, entities } = ctx;

  /** Who may see and change a runner: admins; group owners for group runners; project maintainers. */
  const canManage = (caller: Caller, runner: Runner): boolean => {
    if (caller.user.isAdmin) return true;
    if (runner.runnerType === "group_type" && runner.groupId !== null) {
      return (groupAccess(store, caller.user, runner.groupId) ?? 0) >= ACCESS.owner;
    }
    if (runner.runnerType === "project_type") {
      return runner.projectIds.some((id) => {
        const project = store.project(id);
        return project && (projectAccess(store, caller.user, project) ?? 0) >= ACCESS.maintainer;
      });
    }
    return false;
  };

  const runnerOf = (caller: Caller, id: string): Runner => {
    const runner = /^\d+$/.test(id) ? store.runner(Number(id)) : undefined;
    if (!runner) throw notFound("Runner");
    if (!canManage(caller, runner)) {
      // Instance runners are readable by everyone signed in; others are hidden behind 403, as GitLab does.
      throw forbidden("No access granted");
    }
    return runner;
  };

  router.post("/user/runners", (req) => {
    const caller = ctx.authenticate(req, "create_runner");
    const runnerType = stringParam(req.input, "runner_type", true);
    if (!(RUNNER_TYPES as readonly string[]).includes(runnerType)) {
      throw new ApiError(400, { error: "runner_type does not have a valid value" });
    }
    let groupId: number | null = null;
    let projectIds: number[] = [];
    if (runnerType === "instance_type") {
      if (!caller.user.isAdmin) throw forbidden();
    } else if (runnerType === "group_type") {
      const id = intParam(req.input, "group_id");
      if (id === undefined) throw new ApiError(400, { error: "group_id is missing" });
      const group = store.group(id);
      if (!group) throw new ApiError(400, { message: "400 Bad request - group not found" });
      if (!caller.user.isAdmin && (groupAccess(store, caller.user, id) ?? 0) < ACCESS.owner) throw forbidden();
      groupId = id;
    } else {
      const id = intParam(req.input, "project_id");
      if (id === undefined) throw new ApiError(400, { error: "project_id is missing" });
      const project = store.project(id);
      if (!project) throw new ApiError(400, { message: "400 Bad request - project not found" });
      requireProjectAccess(store, caller, project, ACCESS.maintainer);
      projectIds = [id];
    }
    const accessLevel = stringParam(req.input, "access_level") ?? "not_protected";
    if (accessLevel !== "not_protected" && accessLevel !== "ref_protected") {
      throw new ApiError(400, { error: "access_level does not have a valid value" });
    }
    const tags = listParam(req.input, "tag_list") ?? [];
    const runUntagged = boolParam(req.input, "run_untagged") ?? true;
    if (tags.length === 0 && !runUntagged) {
      throw validationError({ tags_list: ["can not be empty when runner is not allowed to pick untagged jobs"] });
    }
    const token = newRunnerToken();
    const runner: Runner = {
      id: store.nextId("runner", 1),
      runnerType: runnerType as Runner["runnerType"],
      groupId,
      projectIds,
      description: stringParam(req.input, "description") ?? "",
      maintenanceNote: stringParam(req.input, "maintenance_note") ?? "",
      tags,
      runUntagged,
      locked: boolParam(req.input, "locked") ?? false,
      paused: boolParam(req.input, "paused") ?? false,
      accessLevel,
      maximumTimeout: intParam(req.input, "maximum_timeout") ?? null,
      tokenDigest: digest(token),
      tokenExpiresAt: null,
      createdAt: iso(ctx.now()),
      creatorId: caller.user.id,
      contactedAt: null,
      managers: [],
      queueVersion: "",
    };
    if (runner.maximumTimeout !== null && runner.maximumTimeout < 600) {
      throw validationError({ maximum_timeout: ["needs to be at least 10 minutes"] });
    }
    store.data.runners.push(runner);
    store.changed();
    return json({ id: runner.id, token, token_expires_at: runner.tokenExpiresAt }, 201);
  });

  const listRunners = (req: ApiRequest, runners: Runner[]) => {
    const q = Object.fromEntries(req.query);
    const type = q.type;
    if (type && !(RUNNER_TYPES as readonly string[]).includes(type)) {
      throw new ApiError(400, { error: "type does not have a valid value" });
    }
    const paused = q.paused === undefined ? undefined : q.paused === "true";
    const status = q.status ?? q.scope;
    const tags = (q.tag_list ?? "").split(",").filter(Boolean);
    const list = runners
      .filter((r) => !type || r.runnerType === type)
      .filter((r) => paused === undefined || r.paused === paused)
      .filter(
        (r) =>
          !status ||
          (status === "paused" ? r.paused : status === "active" ? !r.paused : runnerStatus(r, ctx.now()) === status),
      )
      .filter((r) => tags.every((t) => r.tags.includes(t)))
      .sort((a, b) => a.id - b.id);
    return paginate(req, ctx.apiUrl, list, (r) => entities.runnerBasic(r));
  };

  router.get("/runners", (req) => {
    const caller = ctx.authenticate(req, "read_runner");
    return listRunners(
      req,
      store.data.runners.filter((r) => r.runnerType !== "instance_type" && canManage(caller, r)),
    );
  });

  router.get("/runners/all", (req) => {
    const caller = ctx.authenticate(req, "read_runner");
    if (!caller.user.isAdmin) throw forbidden();
    return listRunners(req, store.data.runners);
  });

  router.get("/projects/:id/runners", (req) => {
    const caller = ctx.authenticate(req, "read_runner");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, ACCESS.maintainer);
    const ancestry = store.groupAncestry(project.namespaceId).map((g) => g.id);
    return listRunners(
      req,
      store.data.runners.filter(
        (r) =>
          r.runnerType === "instance_type" ||
          (r.runnerType === "group_type" && r.groupId !== null && ancestry.includes(r.groupId)) ||
          r.projectIds.includes(project.id),
      ),
    );
  });

  router.get("/groups/:id/runners", (req) => {
    const caller = ctx.authenticate(req, "read_runner");
    const group = /^\d+$/.test(req.params.id) ? store.group(Number(req.params.id)) : store.groupByPath(req.params.id);
    if (!group) throw notFound("Group");
    if (!caller.user.isAdmin && (groupAccess(store, caller.user, group.id) ?? 0) < ACCESS.maintainer) throw forbidden();
    const ancestry = store.groupAncestry(group.id).map((g) => g.id);
    return listRunners(
      req,
      store.data.runners.filter(
        (r) => r.runnerType === "instance_type" || (r.groupId !== null && ancestry.includes(r.groupId)),
      ),
    );
  });

  router.get("/runners/:id", (req) => {
    const caller = ctx.authenticate(req, "read_runner");
    return json(entities.runner(runnerOf(caller, req.params.id)));
  });

  router.put("/runners/:id", (req) => {
    const caller = ctx.authenticate(req, "manage_runner");
    const runner = runnerOf(caller, req.params.id);
    const description = stringParam(req.input, "description");
    const paused =
      boolParam(req.input, "paused") ??
      (boolParam(req.input, "active") === undefined ? undefined : !boolParam(req.input, "active"));
    const tags = listParam(req.input, "tag_list");
    const runUntagged = boolParam(req.input, "run_untagged");
    const locked = boolParam(req.input, "locked");
    const accessLevel = stringParam(req.input, "access_level");
    const maximumTimeout = intParam(req.input, "maximum_timeout");
    const note = stringParam(req.input, "maintenance_note");
    if (accessLevel !== undefined && accessLevel !== "not_protected" && accessLevel !== "ref_protected") {
      throw new ApiError(400, { error: "access_level does not have a valid value" });
    }
    const nextTags = tags ?? runner.tags;
    const nextUntagged = runUntagged ?? runner.runUntagged;
    if (nextTags.length === 0 && !nextUntagged) {
      throw validationError({ tags_list: ["can not be empty when runner is not allowed to pick untagged jobs"] });
    }
    if (description !== undefined) runner.description = description;
    if (paused !== undefined) runner.paused = paused;
    runner.tags = nextTags;
    runner.runUntagged = nextUntagged;
    if (locked !== undefined) runner.locked = locked;
    if (accessLevel !== undefined) runner.accessLevel = accessLevel as Runner["accessLevel"];
    if (maximumTimeout !== undefined) runner.maximumTimeout = maximumTimeout;
    if (note !== undefined) runner.maintenanceNote = note;
    store.changed();
    // A changed runner (tags, paused, …) may now take other jobs: its held requests are released.
    ctx.queue.tick(runner);
    return json(entities.runner(runner));
  });

  router.delete("/runners/:id", (req) => {
    const caller = ctx.authenticate(req, "manage_runner");
    const runner = runnerOf(caller, req.params.id);
    store.data.runners = store.data.runners.filter((r) => r.id !== runner.id);
    store.changed();
    return { status: 204 };
  });

  router.post("/runners/:id/reset_authentication_token", (req) => {
    const caller = ctx.authenticate(req, "manage_runner");
    const runner = runnerOf(caller, req.params.id);
    const token = newRunnerToken();
    runner.tokenDigest = digest(token);
    store.changed();
    return json({ token, token_expires_at: runner.tokenExpiresAt }, 201);
  });

  router.get("/runners/:id/jobs", (req) => {
    const caller = ctx.authenticate(req, "read_runner");
    const runner = runnerOf(caller, req.params.id);
    const status = req.query.get("status");
    if (status && !["running", "success", "failed", "canceled"].includes(status)) {
      throw new ApiError(400, { error: "status does not have a valid value" });
    }
    const sort = req.query.get("sort") ?? "desc";
    const jobs = store.data.jobs
      .filter((j) => j.runnerId === runner.id && (!status || j.status === status))
      .sort((a, b) => (sort === "asc" ? a.id - b.id : b.id - a.id));
    return paginate(req, ctx.apiUrl, jobs, (j) => {
      const project = store.project(j.projectId)!;
      return { ...entities.job(j), project: entities.projectSimple(project) };
    });
  });

  router.get("/runners/:id/managers", (req) => {
    const caller = ctx.authenticate(req, "read_runner");
    const runner = runnerOf(caller, req.params.id);
    return json(runner.managers.map((m) => entities.runnerManager(runner, m)));
  });
}
