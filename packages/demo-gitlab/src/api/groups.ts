import { groupAccess } from "../auth";
import type { GitlabContext } from "../context";
import { notFound } from "../errors";
import { json, type ApiRequest, type Router } from "../http";
import type { Group } from "../model";
import { paginate } from "../pagination";

/** Groups and their members (what role mapping from GitLab groups needs). */
export function groupRoutes(router: Router, ctx: GitlabContext): void {
  const { store, entities } = ctx;

  const visibleGroups = (req: ApiRequest): Group[] => {
    const caller = ctx.authenticate(req, "read");
    return store.data.groups.filter((g) => caller.user.isAdmin || groupAccess(store, caller.user, g.id) !== null);
  };

  const groupOf = (req: ApiRequest): Group => {
    const groups = visibleGroups(req);
    const id = req.params.id;
    const group = /^\d+$/.test(id)
      ? groups.find((g) => g.id === Number(id))
      : groups.find((g) => g.fullPath.toLowerCase() === id.toLowerCase());
    if (!group) throw notFound("Group");
    return group;
  };

  router.get("/groups", (req) => {
    const search = req.query.get("search")?.toLowerCase();
    const topLevel = req.query.get("top_level_only") === "true";
    const groups = visibleGroups(req)
      .filter((g) => !search || g.fullPath.toLowerCase().includes(search) || g.name.toLowerCase().includes(search))
      .filter((g) => !topLevel || g.parentId === null)
      .sort((a, b) => a.name.localeCompare(b.name));
    return paginate(req, ctx.apiUrl, groups, (g) => entities.group(g));
  });

  router.get("/groups/:id", (req) => json(entities.group(groupOf(req))));

  router.get("/groups/:id/subgroups", (req) => {
    const group = groupOf(req);
    return paginate(
      req,
      ctx.apiUrl,
      visibleGroups(req).filter((g) => g.parentId === group.id),
      (g) => entities.group(g),
    );
  });

  const members = (all: boolean) => (req: ApiRequest) => {
    const group = groupOf(req);
    const ids = all ? store.groupAncestry(group.id).map((g) => g.id) : [group.id];
    const best = new Map<number, number>();
    for (const m of store.data.memberships) {
      if (m.sourceType === "Namespace" && ids.includes(m.sourceId)) {
        best.set(m.userId, Math.max(best.get(m.userId) ?? 0, m.accessLevel));
      }
    }
    return paginate(req, ctx.apiUrl, [...best.entries()], ([userId, accessLevel]) => ({
      ...entities.userBasic(store.user(userId)),
      access_level: accessLevel,
      created_at: store.user(userId)?.createdAt,
      expires_at: null,
      membership_state: "active",
    }));
  };
  router.get("/groups/:id/members", members(false));
  router.get("/groups/:id/members/all", members(true));
}
