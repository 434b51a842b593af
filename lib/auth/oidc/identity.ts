import { gitLabGroupsFrom, type GitLabGroups } from "../group-roles";

/** Who signed in, from GitLab's ID token claims and its userinfo answer. */
export interface GitLabIdentity {
  /** GitLab's `sub`: the user's numeric id, stable across renames. */
  subject: string;
  username: string;
  displayName: string | null;
  email: string | null;
  groups: GitLabGroups;
}

const text = (value: unknown, max = 255): string | null =>
  typeof value === "string" && value.trim() ? value.trim().slice(0, max) : null;

// GitLab usernames: letters, digits, '_', '-', '.'; anything else is dropped so the name is safe to show.
const username = (value: unknown): string | null => {
  const name = text(value, 255)?.replace(/[^A-Za-z0-9_.-]/g, "");
  return name ? name : null;
};

/**
 * The identity; userinfo fills what the ID token leaves out (GitLab puts `groups` and the per-role group
 * claims only in userinfo, `groups_direct` only in the ID token). The subject always comes from the
 * verified ID token: openid-client refuses a userinfo answer for another subject.
 */
export function identityFrom(idToken: Record<string, unknown>, userinfo: Record<string, unknown> = {}): GitLabIdentity {
  const claims: Record<string, unknown> = {
    ...userinfo,
    ...idToken,
    groups_direct: idToken.groups_direct ?? userinfo.groups_direct,
  };
  const subject = String(idToken.sub);
  return {
    subject,
    username:
      username(claims.preferred_username) ??
      username(claims.nickname) ??
      username(userinfo.nickname) ??
      `gitlab-${subject}`,
    displayName: text(claims.name),
    email: text(claims.email),
    groups: gitLabGroupsFrom({ ...claims, groups: userinfo.groups ?? idToken.groups }),
  };
}
