/**
 * What a token can do for ask-ci, from its scopes (docs: user/profile/personal_access_tokens.md#personal-access-token-scopes,
 * api/users.md#create-a-runner-linked-to-a-user, api/runners.md, api/project_webhooks.md). Scopes say what the token
 * may ask; GitLab still checks the user's role on each project (Maintainer for hooks, Developer to run pipelines),
 * so a feature marked available can still get a 403, which the feature then reports.
 */

export type GitlabFeature = "watchJobs" | "createRunners" | "manageRunners" | "registerWebhooks" | "runPipelines";

export interface FeatureRequirement {
  feature: GitlabFeature;
  /** Any one of these scopes suffices. */
  anyOf: string[];
}

export const FEATURE_REQUIREMENTS: FeatureRequirement[] = [
  { feature: "watchJobs", anyOf: ["read_api", "api"] },
  { feature: "createRunners", anyOf: ["create_runner", "api"] },
  { feature: "manageRunners", anyOf: ["manage_runner", "api"] },
  { feature: "registerWebhooks", anyOf: ["api"] },
  { feature: "runPipelines", anyOf: ["api"] },
];

export type TokenKind = "personal" | "project" | "group";

export interface FeatureAvailability {
  feature: GitlabFeature;
  available: boolean;
  anyOf: string[];
}

export interface TokenReport {
  kind: TokenKind;
  scopes: string[];
  /** YYYY-MM-DD, GitLab's expiry date, or null for a token without expiry. */
  expiresAt: string | null;
  expiry: "none" | "ok" | "soon" | "expired";
  daysLeft: number | null;
  features: FeatureAvailability[];
}

const SOON_DAYS = 14;

/**
 * Project and group access tokens belong to bot users named `project_<id>_bot_<hash>` and
 * `group_<id>_bot_<hash>` (docs: user/project/settings/project_access_tokens.md#bot-users-for-projects).
 */
export function tokenKindOf(username: string): TokenKind {
  if (/^project_\d+_bot/.test(username)) return "project";
  if (/^group_\d+_bot/.test(username)) return "group";
  return "personal";
}

export function tokenReport(
  input: { username: string; scopes: string[]; expiresAt: string | null },
  now: Date,
): TokenReport {
  const scopes = [...new Set(input.scopes)].sort();
  let expiry: TokenReport["expiry"] = "none";
  let daysLeft: number | null = null;
  if (input.expiresAt) {
    // GitLab expires a token at the start of its expiry date (UTC).
    const end = Date.parse(`${input.expiresAt.slice(0, 10)}T00:00:00Z`);
    if (Number.isFinite(end)) {
      daysLeft = Math.max(0, Math.floor((end - now.getTime()) / 86_400_000));
      expiry = end <= now.getTime() ? "expired" : daysLeft < SOON_DAYS ? "soon" : "ok";
    }
  }
  return {
    kind: tokenKindOf(input.username),
    scopes,
    expiresAt: input.expiresAt ? input.expiresAt.slice(0, 10) : null,
    expiry,
    daysLeft,
    features: FEATURE_REQUIREMENTS.map(({ feature, anyOf }) => ({
      feature,
      anyOf,
      available: expiry !== "expired" && anyOf.some((scope) => scopes.includes(scope)),
    })),
  };
}

export function hasFeature(scopes: string[], feature: GitlabFeature): boolean {
  const requirement = FEATURE_REQUIREMENTS.find((r) => r.feature === feature)!;
  return requirement.anyOf.some((scope) => scopes.includes(scope));
}
