import { NextResponse } from "next/server";
import { readCookie } from "@/lib/auth/read-cookie";
import { completeGitLabSignIn } from "@/lib/auth/oidc/sign-in.server";
import { gitLabOidc, publicOrigin, SIGN_IN_COOKIE, SIGN_IN_COOKIE_PATH } from "@/lib/auth/oidc/sign-in-request.server";

export const dynamic = "force-dynamic";

/** GET: GitLab's redirect back; a session on success, else the login page with the reason. */
export async function GET(request: Request) {
  const origin = publicOrigin(request.headers);
  const oidc = gitLabOidc();
  const outcome = oidc
    ? await completeGitLabSignIn(
        oidc,
        new URL(request.url).searchParams,
        readCookie(request.headers.get("cookie"), SIGN_IN_COOKIE),
      )
    : ({ ok: false, error: "notConfigured" } as const);
  const target = outcome.ok ? outcome.returnTo : `/login?error=${outcome.error}`;
  const response = NextResponse.redirect(new URL(target, origin), 303);
  // One use only: a replayed callback finds no pending sign-in.
  response.cookies.set(SIGN_IN_COOKIE, "", { path: SIGN_IN_COOKIE_PATH, maxAge: 0, httpOnly: true, sameSite: "lax" });
  return response;
}
