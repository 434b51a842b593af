import type { ApiRequest } from "./http";
import { forbidden, insufficientScope, invalidToken, notFound, unauthorized } from "./errors";
import { ACCESS, type PersonalAccessToken, type Project, type User } from "./model";
import { digest } from "./secrets";
import type { Store } from "./store";

export interface Caller {
  user: User;
  token: PersonalAccessToken | null;
  /** Scopes of the token (an OAuth access token from the OIDC provider has those it was granted). */
  scopes: string[];
}

/** What a route needs from the token's scopes (Gitlab::Auth API scopes). */
export type ScopeNeed = "read" | "write" | "read_user" | "create_runner" | "manage_runner" | "read_runner" | "any";

const ALLOWED: Record<ScopeNeed, string[]> = {
  read: ["api", "read_api"],
  write: ["api"],
  read_user: ["api", "read_api", "read_user"],
  create_runner: ["api", "create_runner"],
  manage_runner: ["api", "manage_runner"],
  read_runner: ["api", "read_api", "manage_runner"],
  any: [],
};

export type OAuthTokenLookup = (token: string) => { userId: number; scopes: string[] } | null;

/**
 * Finds the caller from PRIVATE-TOKEN, `Authorization: Bearer`, or `private_token` / `access_token`
 * in the query, as GitLab's API guard does. Expired and revoked tokens answer 401 invalid_token.
 */
export function authenticate(
  store: Store,
  req: ApiRequest,
  need: ScopeNeed,
  now: number,
  oauth?: OAuthTokenLookup,
): Caller {
  const header = req.headers["private-token"];
  const bearer = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
  const secret =
    (Array.isArray(header) ? header[0] : header) ??
    bearer ??
    req.query.get("private_token") ??
    req.query.get("access_token") ??
    undefined;
  if (!secret) throw unauthorized();
  const tokenDigest = digest(secret.trim());
  const token = store.data.tokens.find((t) => t.tokenDigest === tokenDigest);
  let caller: Caller;
  if (token) {
    if (token.revoked) throw invalidToken("Token has been revoked.");
    if (token.expiresAt && token.expiresAt < new Date(now).toISOString().slice(0, 10)) {
      throw invalidToken("Token has expired.");
    }
    const user = store.user(token.userId);
    if (!user || user.state !== "active") throw unauthorized();
    token.lastUsedAt = new Date(now).toISOString();
    caller = { user, token, scopes: token.scopes };
  } else {
    const granted = oauth?.(secret.trim());
    const user = granted ? store.user(granted.userId) : undefined;
    if (!granted || !user) throw unauthorized();
    caller = { user, token: null, scopes: granted.scopes };
  }
  const allowed = ALLOWED[need];
  if (allowed.length > 0 && !allowed.some((scope) => caller.scopes.includes(scope))) {
    throw insufficientScope(allowed);
  }
  return caller;
}

/** The caller's effective access level in a project: its own membership or the highest from its groups. */
export function projectAccess(store: Store, user: User, project: Project): number | null {
  const groupIds = store.groupAncestry(project.namespaceId).map((g) => g.id);
  const levels = store.data.memberships
    .filter(
      (m) =>
        m.userId === user.id &&
        ((m.sourceType === "Project" && m.sourceId === project.id) ||
          (m.sourceType === "Namespace" && groupIds.includes(m.sourceId))),
    )
    .map((m) => m.accessLevel);
  return levels.length ? Math.max(...levels) : null;
}

export function groupAccess(store: Store, user: User, groupId: number): number | null {
  const groupIds = store.groupAncestry(groupId).map((g) => g.id);
  const levels = store.data.memberships
    .filter((m) => m.userId === user.id && m.sourceType === "Namespace" && groupIds.includes(m.sourceId))
    .map((m) => m.accessLevel);
  return levels.length ? Math.max(...levels) : null;
}

export function canSeeProject(store: Store, user: User, project: Project): boolean {
  return user.isAdmin || project.visibility !== "private" || projectAccess(store, user, project) !== null;
}

/**
 * The project from `:id` (a number or a URL-encoded full path) if the caller may see it; GitLab
 * answers "404 Project Not Found" alike for projects that do not exist and those one may not see.
 */
export function findProject(store: Store, caller: Caller, id: string): Project {
  const project = /^\d+$/.test(id) ? store.project(Number(id)) : store.projectByPath(id);
  if (!project || !canSeeProject(store, caller.user, project)) throw notFound("Project");
  return project;
}

/** Admins may do everything; others need at least `level` in the project, else 403. */
export function requireProjectAccess(store: Store, caller: Caller, project: Project, level: number): void {
  if (caller.user.isAdmin) return;
  const access = projectAccess(store, caller.user, project) ?? 0;
  if (access < level) throw forbidden();
}

export const READ_BUILDS = ACCESS.reporter;
export const UPDATE_BUILDS = ACCESS.developer;
