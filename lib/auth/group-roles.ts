import { z } from "zod";
import { higherRole, ROLES, type Role } from "./roles";

/**
 * Roles from GitLab group membership. What GitLab tells an OpenID Connect client (doorkeeper-openid_connect
 * claims in GitLab's config/initializers/doorkeeper_openid_connect.rb, documented in
 * docs.gitlab.com/integration/openid_connect_provider):
 * - `groups` (userinfo): full paths of the groups the user belongs to, directly or through an ancestor group;
 * - `groups_direct` (ID token): full paths of the groups the user is a direct member of;
 * - `https://gitlab.org/claims/groups/{owner,maintainer,developer}` (userinfo, absent when empty): full paths
 *   of the groups where the user is a *direct* member with that role.
 */
export const GITLAB_ACCESS = ["member", "developer", "maintainer", "owner"] as const;

const ROLE_CLAIM = (access: "owner" | "maintainer" | "developer") => `https://gitlab.org/claims/groups/${access}`;

/** The user's groups as read from the ID token and userinfo claims, paths lower-cased. */
export interface GitLabGroups {
  member: string[];
  developer: string[];
  maintainer: string[];
  owner: string[];
}

function paths(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === "string" && item.length > 0 && item.length <= 255);
}

const unique = (values: string[]) => [...new Set(values.map((value) => value.toLowerCase()))].sort();

export function gitLabGroupsFrom(claims: Record<string, unknown>): GitLabGroups {
  const owner = unique(paths(claims[ROLE_CLAIM("owner")]));
  const maintainer = unique([...paths(claims[ROLE_CLAIM("maintainer")]), ...owner]);
  const developer = unique([...paths(claims[ROLE_CLAIM("developer")]), ...maintainer]);
  const member = unique([...paths(claims.groups), ...paths(claims.groups_direct), ...developer]);
  return { member, developer, maintainer, owner };
}

export const groupPathSchema = z
  .string()
  .trim()
  .min(1)
  .max(255)
  // GitLab group paths: letters, digits, '_', '-', '.', nested with '/'.
  .regex(/^[A-Za-z0-9_.][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)*$/)
  .transform((value) => value.toLowerCase());

export const roleMappingSchema = z.object({
  groupPath: groupPathSchema,
  minAccess: z.enum(GITLAB_ACCESS),
  role: z.enum(ROLES),
});

export type RoleMappingRule = z.infer<typeof roleMappingSchema>;

/** The highest role any rule gives these groups, or null when no rule matches. */
export function roleFromGroups(rules: readonly RoleMappingRule[], groups: GitLabGroups): Role | null {
  let role: Role | null = null;
  for (const rule of rules) {
    if (groups[rule.minAccess].includes(rule.groupPath.toLowerCase()))
      role = role ? higherRole(role, rule.role) : rule.role;
  }
  return role;
}
