const createNextIntlPlugin = require("next-intl/plugin");

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

// lib/http/security-headers.ts explains them; JSON so this CommonJS file can read them too.
const STATIC_SECURITY_HEADERS = require("./lib/http/static-security-headers.json");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Workspace packages ship TypeScript source; Next compiles them with the app.
  transpilePackages: ["@ask-ci/billing"],
  // Native and Node-only packages stay outside the server bundle.
  serverExternalPackages: [
    "better-sqlite3",
    "@kubernetes/client-node",
    "pg",
    "@prisma/adapter-pg",
    "pino",
    "prom-client",
  ],
  // The container image's build (Dockerfile: ASK_CI_STANDALONE=1) adds Next's standalone output, and
  // server/main.ts bundled beside it; `npm start` serves the full build with the same server.
  ...(process.env.ASK_CI_STANDALONE === "1" ? { output: "standalone" } : {}),
  // The default SQLite path (data/ask-ci.db) looks like a file the server reads: keep a local
  // database out of the standalone output (and so out of an image built from a working copy).
  outputFileTracingExcludes: { "**": ["data/**"] },
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() (lib/auth/authorize.server.ts): a role too low for a page or server action is an HTTP 403.
  experimental: { authInterrupts: true },
  // On every response, static files included; the CSP and HSTS come from proxy.ts (lib/http/security-headers.ts).
  async headers() {
    return [{ source: "/:path*", headers: STATIC_SECURITY_HEADERS }];
  },
};

module.exports = withNextIntl(nextConfig);
