import "server-only";
import { db } from "@/lib/db.server";
import { gitLabGroupsFrom, roleFromGroups, type GitLabGroups, type RoleMappingRule } from "./group-roles";
import type { GitLabIdentity } from "./oidc/identity";
import { effectiveRole, toRole, type Role } from "./roles";

export interface UserDto {
  id: string;
  username: string;
  displayName: string | null;
  email: string | null;
  provider: string;
  /** What an admin assigned. */
  role: Role;
  /** What the GitLab group mappings give, if any. */
  groupRole: Role | null;
  /** What the user acts with: the higher of the two (always admin for a local account). */
  effectiveRole: Role;
  groups: string[];
  disabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  activeSessions: number;
}

type UserRow = Awaited<ReturnType<typeof db.user.findFirstOrThrow>>;

function storedGroups(row: { groups: string }): GitLabGroups {
  try {
    const parsed = JSON.parse(row.groups) as unknown;
    // The column holds the GitLabGroups read at sign-in; claims-shaped input is read the same way.
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const g = parsed as Partial<Record<keyof GitLabGroups, unknown>>;
      return gitLabGroupsFrom({
        groups: g.member,
        "https://gitlab.org/claims/groups/developer": g.developer,
        "https://gitlab.org/claims/groups/maintainer": g.maintainer,
        "https://gitlab.org/claims/groups/owner": g.owner,
      });
    }
  } catch {
    // An unreadable value counts as no groups.
  }
  return gitLabGroupsFrom({});
}

function toDto(row: UserRow & { _count?: { sessions: number } }): UserDto {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    provider: row.provider,
    role: row.provider === "local" ? "admin" : toRole(row.role),
    groupRole: row.groupRole ? toRole(row.groupRole) : null,
    effectiveRole: effectiveRole(row),
    groups: storedGroups(row).member,
    disabled: row.disabledAt !== null,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    activeSessions: row._count?.sessions ?? 0,
  };
}

export async function listUsers(now = new Date()): Promise<UserDto[]> {
  const rows = await db.user.findMany({
    orderBy: [{ provider: "desc" }, { username: "asc" }],
    include: { _count: { select: { sessions: { where: { expiresAt: { gt: now } } } } } },
  });
  return rows.map(toDto);
}

export async function findUser(id: string): Promise<UserDto | null> {
  const row = await db.user.findUnique({ where: { id } });
  return row ? toDto(row) : null;
}

async function mappingRules(): Promise<RoleMappingRule[]> {
  const rows = await db.roleMapping.findMany();
  return rows.map((row) => ({
    groupPath: row.groupPath,
    minAccess: row.minAccess as RoleMappingRule["minAccess"],
    role: toRole(row.role),
  }));
}

export type GitLabSignInResult =
  | { ok: true; user: UserDto; created: boolean; roleChanged: { from: Role; to: Role } | null }
  | { ok: false; reason: "disabled"; user: UserDto };

/**
 * The ask-ci account of a GitLab identity, created as a viewer on first sign-in. Name, email and groups
 * are refreshed at every sign-in, and so is the role the admin's group mappings give.
 */
export async function signInGitLabUser(identity: GitLabIdentity): Promise<GitLabSignInResult> {
  const groupRole = roleFromGroups(await mappingRules(), identity.groups);
  const profile = {
    username: identity.username,
    displayName: identity.displayName,
    email: identity.email,
    groups: JSON.stringify(identity.groups),
    groupRole,
  };
  const existing = await db.user.findUnique({
    where: { provider_subject: { provider: "gitlab", subject: identity.subject } },
  });
  const row = existing
    ? await db.user.update({ where: { id: existing.id }, data: profile })
    : await db.user.create({ data: { ...profile, provider: "gitlab", subject: identity.subject, role: "viewer" } });
  const user = toDto(row);
  if (row.disabledAt) return { ok: false, reason: "disabled", user };
  const before = existing ? effectiveRole(existing) : null;
  return {
    ok: true,
    user,
    created: !existing,
    roleChanged: before && before !== user.effectiveRole ? { from: before, to: user.effectiveRole } : null,
  };
}

export type UserChange =
  { ok: true; before: UserDto; after: UserDto } | { ok: false; error: "notFound" | "localAccount" | "self" };

/** Assigns a role; it applies to the user's next request (sessions read the role every time). */
export async function setUserRole(actorId: string, userId: string, role: Role): Promise<UserChange> {
  const row = await db.user.findUnique({ where: { id: userId } });
  if (!row) return { ok: false, error: "notFound" };
  if (row.provider === "local") return { ok: false, error: "localAccount" };
  // An admin cannot demote themselves by accident: another admin (or the break-glass account) must.
  if (row.id === actorId && role !== "admin") return { ok: false, error: "self" };
  const after = await db.user.update({ where: { id: userId }, data: { role } });
  return { ok: true, before: toDto(row), after: toDto(after) };
}

/** Deactivating signs the user out everywhere and refuses their next sign-in; activating undoes that. */
export async function setUserActive(actorId: string, userId: string, active: boolean): Promise<UserChange> {
  const row = await db.user.findUnique({ where: { id: userId } });
  if (!row) return { ok: false, error: "notFound" };
  if (row.provider === "local") return { ok: false, error: "localAccount" };
  if (row.id === actorId) return { ok: false, error: "self" };
  const after = await db.$transaction(async (tx) => {
    if (!active) await tx.session.deleteMany({ where: { userId } });
    return tx.user.update({
      where: { id: userId },
      data: { disabledAt: active ? null : (row.disabledAt ?? new Date()) },
    });
  });
  return { ok: true, before: toDto(row), after: toDto(after) };
}

export interface RoleMappingDto extends RoleMappingRule {
  id: string;
}

export async function listRoleMappings(): Promise<RoleMappingDto[]> {
  const rows = await db.roleMapping.findMany({ orderBy: [{ groupPath: "asc" }, { minAccess: "asc" }] });
  return rows.map((row) => ({
    id: row.id,
    groupPath: row.groupPath,
    minAccess: row.minAccess as RoleMappingRule["minAccess"],
    role: toRole(row.role),
  }));
}

/**
 * Re-derives every GitLab user's group role from the groups read at their last sign-in, so a mapping
 * change applies to their next request rather than waiting for their next sign-in.
 */
async function reapplyMappings(): Promise<void> {
  const rules = await mappingRules();
  const users = await db.user.findMany({
    where: { provider: "gitlab" },
    select: { id: true, groups: true, groupRole: true },
  });
  for (const user of users) {
    const groupRole = roleFromGroups(rules, storedGroups(user));
    if (groupRole !== user.groupRole) await db.user.update({ where: { id: user.id }, data: { groupRole } });
  }
}

export async function addRoleMapping(
  rule: RoleMappingRule,
): Promise<{ ok: true; mapping: RoleMappingDto } | { ok: false; error: "duplicate" }> {
  const exists = await db.roleMapping.findUnique({
    where: { groupPath_minAccess: { groupPath: rule.groupPath, minAccess: rule.minAccess } },
  });
  if (exists) return { ok: false, error: "duplicate" };
  const row = await db.roleMapping.create({ data: rule });
  await reapplyMappings();
  return { ok: true, mapping: { id: row.id, ...rule } };
}

export async function deleteRoleMapping(id: string): Promise<RoleMappingDto | null> {
  const row = await db.roleMapping.findUnique({ where: { id } });
  if (!row) return null;
  await db.roleMapping.delete({ where: { id } });
  await reapplyMappings();
  return {
    id: row.id,
    groupPath: row.groupPath,
    minAccess: row.minAccess as RoleMappingRule["minAccess"],
    role: toRole(row.role),
  };
}
