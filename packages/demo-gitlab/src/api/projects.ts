import crypto from "node:crypto";
import { canSeeProject, findProject, groupAccess, projectAccess, requireProjectAccess } from "../auth";
import { boolParam, stringParam, type GitlabContext } from "../context";
import { ApiError, notFound, validationError } from "../errors";
import { json, type ApiRequest, type Router } from "../http";
import { keysetById, paginate, wantsKeyset } from "../pagination";
import { ACCESS, type Project } from "../model";
import { iso } from "../instance";

const PROJECT_ORDER = [
  "id",
  "name",
  "path",
  "created_at",
  "updated_at",
  "last_activity_at",
  "similarity",
  "star_count",
];

/** Projects, their repository files, branches, commits and members. */
export function projectRoutes(router: Router, ctx: GitlabContext): void {
  const { store, entities } = ctx;

  router.get("/projects", (req) => {
    const caller = ctx.authenticate(req, "read");
    const search = req.query.get("search")?.toLowerCase();
    const membership = boolParam(Object.fromEntries(req.query), "membership");
    const owned = boolParam(Object.fromEntries(req.query), "owned");
    const simple = boolParam(Object.fromEntries(req.query), "simple");
    let projects = store.data.projects.filter((p) => canSeeProject(store, caller.user, p));
    if (membership || owned) {
      projects = projects.filter((p) => {
        const level = projectAccess(store, caller.user, p);
        return level !== null && (!owned || level >= ACCESS.owner);
      });
    }
    if (search) {
      projects = projects.filter(
        (p) => p.name.toLowerCase().includes(search) || store.projectFullPath(p).toLowerCase().includes(search),
      );
    }
    const present = (p: Project) =>
      simple ? entities.projectSimple(p) : entities.project(p, projectAccess(store, caller.user, p));
    if (wantsKeyset(req)) return keysetById(req, ctx.apiUrl, projects, present);
    return paginate(req, ctx.apiUrl, sortProjects(req, projects, store.projectFullPath.bind(store)), present);
  });

  router.get("/projects/:id", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    return json(entities.project(project, projectAccess(store, caller.user, project)));
  });

  router.get("/groups/:id/projects", (req) => {
    const caller = ctx.authenticate(req, "read");
    const group = /^\d+$/.test(req.params.id) ? store.group(Number(req.params.id)) : store.groupByPath(req.params.id);
    if (!group) throw notFound("Group");
    const includeSubgroups = boolParam(Object.fromEntries(req.query), "include_subgroups");
    const projects = store.data.projects.filter((p) => {
      if (!canSeeProject(store, caller.user, p)) return false;
      if (p.namespaceId === group.id) return true;
      return !!includeSubgroups && store.groupAncestry(p.namespaceId).some((g) => g.id === group.id);
    });
    // Private groups are invisible to non-members: 404, as GitLab answers.
    if (!caller.user.isAdmin && groupAccess(store, caller.user, group.id) === null) throw notFound("Group");
    return paginate(req, ctx.apiUrl, sortProjects(req, projects, store.projectFullPath.bind(store)), (p) =>
      entities.project(p, projectAccess(store, caller.user, p)),
    );
  });

  // Repository files: GET (JSON with base64 content), HEAD, /raw; POST/PUT commit a change.
  router.get("/projects/:id/repository/files/:file_path/raw", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    const content = fileAt(project, req.params.file_path, refOf(req, project));
    return { status: 200, text: content, headers: { "Content-Type": "text/plain; charset=utf-8" } };
  });

  router.get("/projects/:id/repository/files/:file_path", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    const ref = stringParam(req.input, "ref", true);
    const content = fileAt(project, req.params.file_path, ref);
    const commit = [...project.commits].reverse().find((c) => c.ref === ref || ref === c.sha) ?? project.commits.at(-1);
    const sha256 = crypto.createHash("sha256").update(content).digest("hex");
    const blobId = crypto
      .createHash("sha1")
      .update(`blob ${Buffer.byteLength(content)}\0${content}`)
      .digest("hex");
    const headers = {
      "X-Gitlab-File-Name": req.params.file_path.split("/").at(-1)!,
      "X-Gitlab-File-Path": req.params.file_path,
      "X-Gitlab-Size": String(Buffer.byteLength(content)),
      "X-Gitlab-Encoding": "base64",
      "X-Gitlab-Ref": ref,
      "X-Gitlab-Blob-Id": blobId,
      "X-Gitlab-Commit-Id": commit?.sha ?? "",
      "X-Gitlab-Last-Commit-Id": commit?.sha ?? "",
      "X-Gitlab-Content-Sha256": sha256,
      "X-Gitlab-Execute-Filemode": "false",
    };
    return json(
      {
        file_name: headers["X-Gitlab-File-Name"],
        file_path: req.params.file_path,
        size: Buffer.byteLength(content),
        encoding: "base64",
        content_sha256: sha256,
        ref,
        blob_id: blobId,
        commit_id: commit?.sha ?? null,
        last_commit_id: commit?.sha ?? null,
        execute_filemode: false,
        content: Buffer.from(content).toString("base64"),
      },
      200,
      headers,
    );
  });

  const writeFile = (create: boolean) => (req: ApiRequest) => {
    const caller = ctx.authenticate(req, "write");
    const project = findProject(store, caller, req.params.id);
    requireProjectAccess(store, caller, project, ACCESS.developer);
    const branch = stringParam(req.input, "branch", true);
    const message = stringParam(req.input, "commit_message", true);
    const encoding = stringParam(req.input, "encoding") ?? "text";
    const raw = stringParam(req.input, "content", true);
    if (!project.branches.includes(branch))
      throw validationError({ base: ["You can only create or edit files when you are on a branch"] });
    const path = req.params.file_path;
    const exists = project.files[path] !== undefined;
    if (create && exists) throw new ApiError(400, { message: "A file with this name already exists" });
    if (!create && !exists) throw new ApiError(400, { message: "A file with this name doesn't exist" });
    project.files[path] = encoding === "base64" ? Buffer.from(raw, "base64").toString("utf8") : raw;
    const parent = [...project.commits].reverse().find((c) => c.ref === branch);
    project.commits.push({
      sha: crypto.randomBytes(20).toString("hex"),
      parentSha: parent?.sha ?? null,
      title: message.split("\n")[0],
      message,
      authorName: caller.user.name,
      authorEmail: caller.user.email,
      authoredAt: iso(ctx.now()),
      ref: branch,
    });
    store.changed();
    // A commit is a push: GitLab runs the branch's pipeline for it.
    ctx.ci.createPipeline(project, { ref: branch, source: "push", userId: caller.user.id });
    return json({ file_path: path, branch }, create ? 201 : 200);
  };
  router.post("/projects/:id/repository/files/:file_path", writeFile(true));
  router.put("/projects/:id/repository/files/:file_path", writeFile(false));

  router.get("/projects/:id/repository/branches", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    return paginate(req, ctx.apiUrl, project.branches, (name) => branchEntity(ctx, project, name));
  });

  router.get("/projects/:id/repository/branches/:branch", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    if (!project.branches.includes(req.params.branch)) throw notFound("Branch");
    return json(branchEntity(ctx, project, req.params.branch));
  });

  router.get("/projects/:id/repository/commits", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    const ref = req.query.get("ref_name") ?? project.defaultBranch;
    const commits = [...project.commits].reverse().filter((c) => c.ref === ref || ref === project.defaultBranch);
    return paginate(req, ctx.apiUrl, commits, (c) => entities.commit(project.id, c.sha), { withoutCount: true });
  });

  router.get("/projects/:id/repository/commits/:sha", (req) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    const commit = project.commits.find((c) => c.sha === req.params.sha || c.sha.startsWith(req.params.sha));
    if (!commit) throw notFound("Commit");
    return json(entities.commit(project.id, commit.sha));
  });

  const members = (all: boolean) => (req: ApiRequest) => {
    const caller = ctx.authenticate(req, "read");
    const project = findProject(store, caller, req.params.id);
    const groupIds = store.groupAncestry(project.namespaceId).map((g) => g.id);
    const best = new Map<number, number>();
    for (const m of store.data.memberships) {
      const direct = m.sourceType === "Project" && m.sourceId === project.id;
      const inherited = m.sourceType === "Namespace" && groupIds.includes(m.sourceId);
      if (direct || (all && inherited)) best.set(m.userId, Math.max(best.get(m.userId) ?? 0, m.accessLevel));
    }
    const list = [...best.entries()].map(([userId, accessLevel]) => ({ user: store.user(userId)!, accessLevel }));
    return paginate(req, ctx.apiUrl, list, ({ user, accessLevel }) => ({
      ...entities.userBasic(user),
      access_level: accessLevel,
      created_at: user.createdAt,
      expires_at: null,
      membership_state: "active",
    }));
  };
  router.get("/projects/:id/members", members(false));
  router.get("/projects/:id/members/all", members(true));
}

function refOf(req: ApiRequest, project: Project): string {
  return stringParam(req.input, "ref") ?? project.defaultBranch;
}

/** The demo keeps one tree per project: every branch sees the default branch's files. */
function fileAt(project: Project, path: string, ref: string): string {
  const known = project.branches.includes(ref) || project.commits.some((c) => c.sha === ref || c.sha.startsWith(ref));
  const content = known ? project.files[path] : undefined;
  if (content === undefined) throw notFound("File");
  return content;
}

function branchEntity(ctx: GitlabContext, project: Project, name: string) {
  const head = [...project.commits].reverse().find((c) => c.ref === name) ?? project.commits.at(-1)!;
  return {
    name,
    merged: false,
    protected: name === project.defaultBranch,
    default: name === project.defaultBranch,
    developers_can_push: false,
    developers_can_merge: false,
    can_push: true,
    web_url: `${ctx.instance.externalUrl}/${ctx.store.projectFullPath(project)}/-/tree/${name}`,
    commit: ctx.entities.commit(project.id, head.sha),
  };
}

function sortProjects(req: ApiRequest, projects: Project[], fullPath: (p: Project) => string): Project[] {
  const orderBy = req.query.get("order_by") ?? "created_at";
  if (!PROJECT_ORDER.includes(orderBy)) throw new ApiError(400, { error: "order_by does not have a valid value" });
  const sort = req.query.get("sort") ?? "desc";
  if (sort !== "asc" && sort !== "desc") throw new ApiError(400, { error: "sort does not have a valid value" });
  const key = (p: Project): string | number => {
    switch (orderBy) {
      case "name":
        return p.name.toLowerCase();
      case "path":
        return fullPath(p);
      case "last_activity_at":
      case "updated_at":
        return p.lastActivityAt;
      case "created_at":
        return p.createdAt;
      default:
        return p.id;
    }
  };
  const sorted = [...projects].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    // Ties fall back to id, as GitLab adds the primary key to every order.
    return ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
  });
  return sort === "desc" ? sorted.reverse() : sorted;
}
