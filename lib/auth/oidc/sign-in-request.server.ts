import "server-only";
import { z } from "zod";
import { decryptJson, encryptJson } from "@/lib/crypto/encryption.server";
import { env } from "@/lib/env.server";
import { createGitLabOidc, type GitLabOidc, type PendingSignIn } from "./gitlab-oidc.server";

/** The cookie carrying a pending sign-in (sealed with the server's key) from /login/gitlab to its callback. */
export const SIGN_IN_COOKIE = "ask_ci_gitlab_sign_in";
export const SIGN_IN_COOKIE_PATH = "/login/gitlab";
/** How long a user may take at GitLab (login, consent) before the callback is refused. */
export const SIGN_IN_MAX_AGE_SECONDS = 10 * 60;

const pendingSchema = z.object({
  purpose: z.literal("gitlab-sign-in"),
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(43),
  redirectUri: z.string().url(),
  returnTo: z.string(),
  startedAt: z.number(),
});

export function sealPendingSignIn(pending: PendingSignIn): string {
  return Buffer.from(encryptJson({ purpose: "gitlab-sign-in", ...pending })).toString("base64url");
}

/** The pending sign-in, or null when the cookie is missing, forged, for another key, or too old. */
export function openPendingSignIn(sealed: string | undefined, now = Date.now()): PendingSignIn | null {
  if (!sealed || sealed.length > 4096) return null;
  try {
    const parsed = pendingSchema.safeParse(decryptJson(Buffer.from(sealed, "base64url").toString("utf8")));
    if (!parsed.success) return null;
    const { state, nonce, codeVerifier, redirectUri, returnTo, startedAt } = parsed.data;
    const age = now - startedAt;
    if (age < 0 || age > SIGN_IN_MAX_AGE_SECONDS * 1000) return null;
    return { state, nonce, codeVerifier, redirectUri, returnTo, startedAt };
  } catch {
    return null;
  }
}

/** Only a path on this site: an open redirect through the sign-in is refused. */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || value.length > 500) {
    return "/";
  }
  return value.startsWith("/login") ? "/" : value;
}

/**
 * The origin GitLab redirects back to: ASK_CI_PUBLIC_URL, else the request's own host (behind a
 * reverse proxy with ASK_CI_TRUST_PROXY, the forwarded host and protocol).
 */
export function publicOrigin(headers: Headers): string {
  const { ASK_CI_PUBLIC_URL, ASK_CI_TRUST_PROXY } = env();
  if (ASK_CI_PUBLIC_URL) return ASK_CI_PUBLIC_URL;
  const first = (name: string) => headers.get(name)?.split(",")[0]?.trim() || undefined;
  const host = (ASK_CI_TRUST_PROXY && first("x-forwarded-host")) || headers.get("host") || "localhost";
  const protocol = (ASK_CI_TRUST_PROXY && first("x-forwarded-proto")) || "http";
  return `${protocol === "https" ? "https" : "http"}://${host}`;
}

export const CALLBACK_PATH = "/login/gitlab/callback";

let client: GitLabOidc | null | undefined;

/** The configured GitLab OIDC client, or null when GitLab sign-in is not configured. */
export function gitLabOidc(): GitLabOidc | null {
  if (client !== undefined) return client;
  const { GITLAB_OIDC_ISSUER, GITLAB_OIDC_CLIENT_ID, GITLAB_OIDC_CLIENT_SECRET, GITLAB_OIDC_SCOPES } = env();
  client =
    GITLAB_OIDC_ISSUER && GITLAB_OIDC_CLIENT_ID && GITLAB_OIDC_CLIENT_SECRET
      ? createGitLabOidc({
          issuer: GITLAB_OIDC_ISSUER,
          clientId: GITLAB_OIDC_CLIENT_ID,
          clientSecret: GITLAB_OIDC_CLIENT_SECRET,
          scopes: GITLAB_OIDC_SCOPES,
        })
      : null;
  return client;
}
