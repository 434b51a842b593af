/** A request for a resource: authorize the verb, then hand it to the subresource's or the object verbs' handler. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Authorizer, type Attributes, type UserInfo } from "../auth";
import { ApiError, badRequest, methodNotAllowed, qualifiedResource } from "../errors";
import { isReviewKind, type ResourceInfo } from "../resources";
import type { HandlerContext } from "./context";
import { handleLog } from "./logs";
import { handleObjectVerb } from "./objects-crud";
import { handleReview } from "./review";
import { verbOf, type Route } from "./route";
import { handleScale } from "./scale";
import { handleWatch } from "./watch";
import { decodeObject, readBody } from "./wire";

function authorize(authorizer: Authorizer, user: UserInfo, attrs: Attributes, res: ResourceInfo): void {
  if (authorizer.allows(user, attrs)) return;
  throw new ApiError(
    403,
    "Forbidden",
    Authorizer.forbiddenMessage(user, attrs, qualifiedResource(res.plural, res.group)),
    {
      ...(attrs.name ? { name: attrs.name } : {}),
      ...(res.group ? { group: res.group } : {}),
      kind: res.plural,
    },
  );
}

export async function handleResource(
  ctx: HandlerContext,
  req: IncomingMessage,
  resp: ServerResponse,
  route: Route,
  url: URL,
  user: UserInfo,
): Promise<void> {
  const verb = verbOf(req.method ?? "GET", route, url);
  const { res } = route;
  if (!res.verbs.includes(verb) && !route.subresource) throw methodNotAllowed();
  authorize(
    ctx.authorizer,
    user,
    {
      verb,
      apiGroup: res.group,
      resource: res.plural,
      subresource: route.subresource,
      namespace: route.namespace,
      name: route.name,
    },
    res,
  );

  if (isReviewKind(res)) {
    if (verb !== "create") throw methodNotAllowed();
    const body = decodeObject(req, await readBody(req, ctx.maxBody));
    return handleReview(ctx.authorizer, resp, route, user, body);
  }
  switch (route.subresource) {
    case "log":
      if (verb !== "get") throw methodNotAllowed();
      return handleLog(ctx, req, resp, route, url);
    case "exec":
    case "attach":
      // Only an upgrade (see exec.ts) can carry the streams.
      throw badRequest("Upgrade request required");
    case "scale":
      return handleScale(ctx, req, resp, route, url, verb);
    case "finalize":
      // PUT namespaces/{name}/finalize; handled as an update of that subresource.
      if (verb !== "update") throw methodNotAllowed();
  }
  if (verb === "watch") return handleWatch(ctx, req, resp, route, url);
  return handleObjectVerb(ctx, req, resp, route, url, verb);
}
