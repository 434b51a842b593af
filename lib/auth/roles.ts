/**
 * ask-ci's three roles, each including the one before it:
 * - viewer: reads what a viewer may see (monitor, costs, history); never a secret;
 * - operator: also applies and uninstalls runners, deletes pods, runs, retries and cancels pipelines;
 * - admin: also manages connections, GitLab links, price books, users and settings.
 */
export const ROLES = ["viewer", "operator", "admin"] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** A role from storage; anything unknown counts as the least privileged role, never as more. */
export function toRole(value: unknown): Role {
  return isRole(value) ? value : "viewer";
}

/** True when `role` may do what `required` may do. */
export function hasRole(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

export function higherRole(a: Role, b: Role | null | undefined): Role {
  return b && hasRole(b, a) ? b : a;
}

/**
 * The role a user acts with: local accounts (the break-glass admin) are always admins; a GitLab user
 * has the higher of the role an admin assigned and the one their GitLab groups gave at the last sign-in.
 */
export function effectiveRole(user: { provider: string; role: string; groupRole?: string | null }): Role {
  if (user.provider === "local") return "admin";
  return higherRole(toRole(user.role), isRole(user.groupRole) ? user.groupRole : null);
}
