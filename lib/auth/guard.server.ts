import "server-only";
import { redirect } from "next/navigation";
import { NextResponse } from "next/server";
import { currentUser, findSessionUser, SESSION_COOKIE, type SessionUser } from "./session.server";
import { env } from "@/lib/env.server";
import { isSameOrigin } from "./origin";
import { readCookie } from "./read-cookie";

/** For pages and server actions: the signed-in user, or a redirect to /login. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}

type RouteResult = { user: SessionUser; error?: never } | { user?: never; error: NextResponse };

/**
 * For route handlers: the user, or the JSON error to return (401 without a valid session,
 * 403 for a state-changing request from another origin).
 */
export async function authenticateRequest(request: Request): Promise<RouteResult> {
  const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  const user = await findSessionUser(token);
  if (!user) return { error: NextResponse.json({ error: "Not signed in" }, { status: 401 }) };
  const mutating = !["GET", "HEAD", "OPTIONS"].includes(request.method);
  const { ASK_CI_PUBLIC_URL, ASK_CI_TRUST_PROXY } = env();
  if (mutating && !isSameOrigin(request.headers, { publicUrl: ASK_CI_PUBLIC_URL, trustProxy: ASK_CI_TRUST_PROXY })) {
    return { error: NextResponse.json({ error: "Cross-origin request refused" }, { status: 403 }) };
  }
  return { user };
}
