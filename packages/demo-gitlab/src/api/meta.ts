import { notFound } from "../errors";
import { json, type Router } from "../http";
import { paginate } from "../pagination";
import type { GitlabContext } from "../context";

/** GET /version, /user, /users, /users/:id, /personal_access_tokens/self. */
export function metaRoutes(router: Router, ctx: GitlabContext): void {
  router.get("/version", (req) => {
    ctx.authenticate(req, "read");
    return json({
      version: ctx.instance.version,
      revision: ctx.instance.revision,
      kas: { enabled: false, externalUrl: null, externalK8sProxyUrl: null, version: null },
      enterprise: false,
    });
  });
  // /metadata is the newer name of the same answer.
  router.get("/metadata", (req) => {
    ctx.authenticate(req, "read");
    return json({
      version: ctx.instance.version,
      revision: ctx.instance.revision,
      kas: { enabled: false, externalUrl: null, externalK8sProxyUrl: null, version: null },
      enterprise: false,
    });
  });

  router.get("/user", (req) => {
    const caller = ctx.authenticate(req, "read_user");
    return json(ctx.entities.userFull(caller.user, true));
  });

  router.get("/users", (req) => {
    ctx.authenticate(req, "read_user");
    const username = req.query.get("username")?.toLowerCase();
    const search = req.query.get("search")?.toLowerCase();
    const users = ctx.store.data.users.filter(
      (u) =>
        (!username || u.username.toLowerCase() === username) &&
        (!search || u.username.toLowerCase().includes(search) || u.name.toLowerCase().includes(search)),
    );
    return paginate(req, ctx.apiUrl, users, (u) => ctx.entities.userBasic(u));
  });

  router.get("/users/:id", (req) => {
    ctx.authenticate(req, "read_user");
    const user = /^\d+$/.test(req.params.id) ? ctx.store.user(Number(req.params.id)) : undefined;
    if (!user) throw notFound("User");
    return json(ctx.entities.userFull(user, false));
  });

  router.get("/personal_access_tokens/self", (req) => {
    const caller = ctx.authenticate(req, "any");
    if (!caller.token) throw notFound();
    return json(ctx.entities.personalAccessToken(caller.token));
  });
}
