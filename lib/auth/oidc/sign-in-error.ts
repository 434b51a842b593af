/**
 * Why a GitLab sign-in failed, as the login page explains it. Each is a key of login.gitlabError.* in
 * the catalogs; none of them reveals a token or the provider's raw answer.
 */
export const SIGN_IN_ERRORS = [
  "notConfigured",
  "request",
  "state",
  "nonce",
  "signature",
  "tokenExpired",
  "token",
  "denied",
  "provider",
  "unavailable",
  "disabled",
] as const;

export type SignInError = (typeof SIGN_IN_ERRORS)[number];

export function isSignInError(value: unknown): value is SignInError {
  return typeof value === "string" && (SIGN_IN_ERRORS as readonly string[]).includes(value);
}

interface OAuthLikeError {
  name?: string;
  code?: string;
  error?: string;
  message?: string;
  claim?: string;
  cause?: unknown;
}

/** The error and its causes: openid-client wraps oauth4webapi's errors, whose own cause names the claim. */
function chain(error: unknown): OAuthLikeError[] {
  const links: OAuthLikeError[] = [];
  for (let e = error; e && typeof e === "object" && links.length < 5; e = (e as OAuthLikeError).cause) {
    links.push(e as OAuthLikeError);
  }
  return links;
}

/**
 * Classifies an openid-client / oauth4webapi error (their `code`s and messages, see oauth4webapi's
 * OperationProcessingError codes) into what went wrong for the user.
 */
export function classifySignInError(error: unknown): SignInError {
  const links = chain(error);
  const names = links.map((e) => e.name);
  const codes = links.map((e) => e.code);
  const message = links.map((e) => e.message ?? "").join(" | ");
  const claim = links.find((e) => typeof e.claim === "string")?.claim;
  const authorizationError = links.find((e) => e.name === "AuthorizationResponseError");
  if (authorizationError) return authorizationError.error === "access_denied" ? "denied" : "provider";
  if (names.includes("ResponseBodyError") || names.includes("WWWAuthenticateChallengeError")) return "provider";
  if (/"state"/.test(message)) return "state";
  if (codes.includes("OAUTH_JWT_CLAIM_COMPARISON_FAILED")) return claim === "nonce" ? "nonce" : "token";
  if (codes.includes("OAUTH_JWT_TIMESTAMP_CHECK_FAILED")) return "tokenExpired";
  if (/signature verification failed/i.test(message) || codes.includes("OAUTH_KEY_SELECTION_FAILED"))
    return "signature";
  if (codes.some((code) => code?.startsWith("OAUTH_"))) return "token";
  if (names.includes("TypeError") || /fetch failed|ECONNREFUSED|ENOTFOUND|timed? ?out|aborted/i.test(message)) {
    return "unavailable";
  }
  return "provider";
}

/** The most specific message of the chain (the innermost), for the audit log and the server log. */
export function signInErrorDetail(error: unknown): string {
  const links = chain(error);
  const messages = links.map((e) => e.message).filter((m): m is string => Boolean(m));
  return messages[messages.length - 1] ?? String(error);
}
