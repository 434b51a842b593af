import staticSecurityHeaders from "./static-security-headers.json";

export interface SecurityHeaderOptions {
  /** A fresh value per response: Next.js puts it on its own inline scripts (it reads it from the request's CSP). */
  nonce: string;
  /** `next dev` evaluates code (React's dev tools, fast refresh) and talks over a websocket. */
  dev?: boolean;
  /** The request reached us over HTTPS (TLS, or a trusted proxy's X-Forwarded-Proto). */
  https?: boolean;
}

/**
 * The Content-Security-Policy of every response the proxy sees. Scripts: our own files and the
 * inline scripts Next.js marks with the nonce ('strict-dynamic' lets those load their chunks);
 * nothing may frame the dashboard (frame-ancestors 'none'), post a form elsewhere, or be an
 * <object>. Styles may be inline: React style attributes and chart libraries use them, and a style
 * cannot run code.
 */
export function contentSecurityPolicy({ nonce, dev = false, https = false }: SecurityHeaderOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/**
 * Headers for every response, static files included (next.config.js): no MIME sniffing, no
 * framing by browsers that predate frame-ancestors, no URL (cluster and namespace names in the
 * query) sent to other sites as a Referer.
 */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = staticSecurityHeaders;

/** What the proxy adds to each response: the CSP and, over HTTPS, HSTS (a year; browsers ignore it over HTTP). */
export function dynamicSecurityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    ...(options.https ? { "Strict-Transport-Security": "max-age=31536000" } : {}),
  };
}
