/** Review kinds (SelfSubjectReview, SelfSubjectAccessReview, SelfSubjectRulesReview): answered, never stored. */
import type { ServerResponse } from "node:http";
import type { Authorizer, UserInfo } from "../auth";
import { ApiError } from "../errors";
import { apiVersionOf } from "../resources";
import type { Route } from "./route";
import { sendJson } from "./wire";

export function handleReview(
  authorizer: Authorizer,
  resp: ServerResponse,
  route: Route,
  user: UserInfo,
  body: Record<string, unknown>,
): void {
  const spec = (body.spec ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {
    kind: route.res.kind,
    apiVersion: apiVersionOf(route.res),
    metadata: { creationTimestamp: null },
    spec,
  };
  if (route.res.kind === "SelfSubjectReview") {
    out.status = { userInfo: { username: user.username, groups: user.groups } };
    delete out.spec;
  } else if (route.res.kind === "SelfSubjectAccessReview") {
    const ra = spec.resourceAttributes as Record<string, string | undefined> | undefined;
    const nra = spec.nonResourceAttributes as { path?: string; verb?: string } | undefined;
    let allowed = false;
    if (ra) {
      allowed = authorizer.allows(user, {
        verb: ra.verb ?? "",
        apiGroup: ra.group ?? "",
        resource: ra.resource ?? "",
        subresource: ra.subresource || undefined,
        namespace: ra.namespace || undefined,
        name: ra.name || undefined,
      });
    } else if (nra) {
      allowed = authorizer.allowsNonResource(user, nra.verb ?? "", nra.path ?? "");
    } else {
      throw new ApiError(
        422,
        "Invalid",
        `SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`,
        {
          group: "authorization.k8s.io",
          kind: "SelfSubjectAccessReview",
          causes: [
            {
              type: "FieldValueInvalid",
              field: "spec.resourceAttributes",
              message: "exactly one of nonResourceAttributes or resourceAttributes must be specified",
            },
          ],
        },
      );
    }
    out.status = allowed
      ? { allowed: true, reason: user.groups.includes("system:masters") ? "" : "RBAC: allowed" }
      : { allowed: false };
  } else {
    out.status = authorizer.rulesReview(user, (spec.namespace as string | undefined) || undefined);
  }
  sendJson(resp, 201, out);
}
