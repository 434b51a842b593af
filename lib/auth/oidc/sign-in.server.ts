import "server-only";
import { recordAudit } from "@/lib/audit/record.server";
import { startSession } from "../session.server";
import { signInGitLabUser } from "../users.server";
import type { GitLabOidc } from "./gitlab-oidc.server";
import { classifySignInError, signInErrorDetail, type SignInError } from "./sign-in-error";
import { openPendingSignIn } from "./sign-in-request.server";

export type SignInOutcome = { ok: true; returnTo: string } | { ok: false; error: SignInError };

/**
 * The callback's work: the pending request from the sealed cookie, the provider's answer checked
 * (state, code with PKCE, ID token against the JWKS, nonce), the account found or created, then a
 * session. Every failure is an audit entry and an error code for the login page; none starts a session.
 */
export async function completeGitLabSignIn(
  oidc: GitLabOidc,
  query: URLSearchParams,
  sealedRequest: string | undefined,
): Promise<SignInOutcome> {
  const fail = async (error: SignInError, message: string, username = "unknown (GitLab)", userId?: string) => {
    await recordAudit({
      actor: { id: userId, username },
      action: "auth.login-failed",
      target: { type: "user", id: userId, name: username },
      result: "error",
      message: `GitLab sign-in (${error}): ${message}`,
    });
    return { ok: false as const, error };
  };

  const pending = openPendingSignIn(sealedRequest);
  if (!pending) return fail("request", "no pending sign-in in this browser, or it is older than 10 minutes");

  let identity;
  try {
    identity = await oidc.complete(query, pending);
  } catch (error) {
    return fail(classifySignInError(error), signInErrorDetail(error));
  }

  const result = await signInGitLabUser(identity);
  if (!result.ok) return fail("disabled", "the account is deactivated", result.user.username, result.user.id);

  const { user } = result;
  await startSession(user.id, "gitlab");
  const actor = { id: user.id, username: user.username };
  await recordAudit({
    actor,
    action: "auth.login",
    target: { type: "user", id: user.id, name: user.username },
    result: "ok",
    message: result.created ? `GitLab, first sign-in: ${user.effectiveRole}` : "GitLab",
  });
  if (result.roleChanged) {
    await recordAudit({
      actor,
      action: "user.role",
      target: { type: "user", id: user.id, name: user.username },
      result: "ok",
      message: `${result.roleChanged.from} → ${result.roleChanged.to} by the GitLab group mappings`,
    });
  }
  return { ok: true, returnTo: pending.returnTo };
}
