import { NextResponse } from "next/server";
import {
  CALLBACK_PATH,
  gitLabOidc,
  publicOrigin,
  safeReturnTo,
  sealPendingSignIn,
  SIGN_IN_COOKIE,
  SIGN_IN_COOKIE_PATH,
  SIGN_IN_MAX_AGE_SECONDS,
} from "@/lib/auth/oidc/sign-in-request.server";

export const dynamic = "force-dynamic";

/** GET: starts a GitLab sign-in (PKCE, state, nonce sealed in a short-lived cookie) and redirects to GitLab. */
export async function GET(request: Request) {
  const origin = publicOrigin(request.headers);
  const oidc = gitLabOidc();
  if (!oidc) return NextResponse.redirect(new URL("/login?error=notConfigured", origin), 303);
  const returnTo = safeReturnTo(new URL(request.url).searchParams.get("returnTo"));
  let started;
  try {
    started = await oidc.begin(`${origin}${CALLBACK_PATH}`, returnTo);
  } catch (error) {
    console.error(`ask-ci: GitLab OIDC discovery failed: ${(error as Error).message}`);
    return NextResponse.redirect(new URL("/login?error=unavailable", origin), 303);
  }
  const response = NextResponse.redirect(started.url, 303);
  response.cookies.set(SIGN_IN_COOKIE, sealPendingSignIn(started.pending), {
    httpOnly: true,
    // Lax: the cookie must come back on GitLab's top-level redirect to the callback.
    sameSite: "lax",
    secure: origin.startsWith("https:"),
    path: SIGN_IN_COOKIE_PATH,
    maxAge: SIGN_IN_MAX_AGE_SECONDS,
  });
  return response;
}
