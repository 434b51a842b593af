import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE } from "@/lib/auth/cookie-name";
import { isSameOrigin, type OriginPolicy } from "@/lib/auth/origin";
import { parseEnv } from "@/lib/env";
import { actionNameOf } from "@/lib/guard/action-manifest";
import { guardRequest } from "@/lib/guard/request-guard";
import { dynamicSecurityHeaders } from "@/lib/http/security-headers";

// Reachable without a session: the login page and its GitLab sign-in, GitLab's webhook
// deliveries (they carry the connection's secret, not a session), and the probes and metrics
// (/metrics has its own token when configured).
const PUBLIC_PATHS = [/^\/login(\/|$)/, /^\/api\/gitlab\/webhook\//, /^\/(healthz|readyz|metrics)$/];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

let policy: OriginPolicy | undefined;
function originPolicy(): OriginPolicy {
  if (policy) return policy;
  try {
    const { ASK_CI_PUBLIC_URL, ASK_CI_TRUST_PROXY } = parseEnv(process.env);
    policy = { publicUrl: ASK_CI_PUBLIC_URL, trustProxy: ASK_CI_TRUST_PROXY };
  } catch {
    // An invalid configuration stops the server at start-up (instrumentation.ts); until then, the strictest policy.
    policy = {};
  }
  return policy;
}

/**
 * The first gate of every request except static files:
 * - security headers (a CSP with a fresh script nonce, which Next.js reads from the request's
 *   own CSP header and puts on its inline scripts; HSTS over HTTPS);
 * - a state-changing request (a server action, a form post, an API call) from another origin is
 *   refused with 403 before Next.js decodes anything: Next's own action check trusts
 *   X-Forwarded-Host, lets a request with only a foreign Referer through, and answers a mismatch
 *   with 500;
 * - the request guard (lib/guard/request-guard.ts): malformed paths, oversized or malformed
 *   bodies, server action calls that do not match the action's argument contract — a 4xx with a
 *   message before Next.js decodes anything;
 * - requests without a session cookie never reach a page or an API handler. It cannot tell a
 *   valid session from a stale one; pages and handlers check that themselves.
 */
export async function proxy(request: NextRequest) {
  const headers = dynamicSecurityHeaders({
    nonce: btoa(crypto.randomUUID()),
    dev: process.env.NODE_ENV === "development",
    https: request.headers.get("x-forwarded-proto") === "https",
  });
  const respond = (response: NextResponse) => {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  };
  const { pathname } = request.nextUrl;
  if (!SAFE_METHODS.has(request.method) && !isSameOrigin(request.headers, originPolicy())) {
    return respond(NextResponse.json({ error: "Cross-origin request refused" }, { status: 403 }));
  }
  const refusal = await guardRequest(request.clone(), actionNameOf);
  if (refusal) return respond(NextResponse.json({ error: refusal.error }, { status: refusal.status }));
  if (!PUBLIC_PATHS.some((path) => path.test(pathname)) && !request.cookies.get(SESSION_COOKIE)?.value) {
    return respond(
      pathname.startsWith("/api/")
        ? NextResponse.json({ error: "Not signed in" }, { status: 401 })
        : NextResponse.redirect(new URL("/login", request.url)),
    );
  }
  const forwarded = new Headers(request.headers);
  forwarded.set("content-security-policy", headers["Content-Security-Policy"]);
  // Next's own server-action check compares Origin with X-Forwarded-Host: give it the host ours accepted.
  const origin = request.headers.get("origin");
  if (origin && !SAFE_METHODS.has(request.method)) forwarded.set("x-forwarded-host", new URL(origin).host);
  return respond(NextResponse.next({ request: { headers: forwarded } }));
}

// public/ files are for everyone, the login page included (icons, logo, web manifest); they get
// next.config.js's static security headers.
export const config = {
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|logo.svg|apple-touch-icon.png|icon-192.png|icon-512.png|manifest.webmanifest|robots.txt).*)",
  ],
};
