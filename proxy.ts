import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE } from "@/lib/auth/cookie-name";

/**
 * A fast first gate: requests without a session cookie never reach a page or an API handler.
 * It cannot tell a valid session from a stale one; pages and handlers check that themselves.
 */
export function proxy(request: NextRequest) {
  if (request.cookies.get(SESSION_COOKIE)?.value) return NextResponse.next();
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.json({ error: "Not signed in" }, { status: 401 });
  }
  return NextResponse.redirect(new URL("/login", request.url));
}

// public/ files are for everyone, the login page included (icons, logo, web manifest).
export const config = {
  // api/gitlab/webhook: GitLab's deliveries carry the connection's secret, not a session.
  // Probes and metrics need no session (/metrics has its own token when configured).
  matcher: [
    "/((?!login|api/gitlab/webhook/|healthz|readyz|metrics|_next/static|_next/image|favicon.ico|logo.svg|apple-touch-icon.png|icon-192.png|icon-512.png|manifest.webmanifest|robots.txt).*)",
  ],
};
