import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./errors";
import { MAX_JSON_BODY, parseBodyFields, readBody, type ApiRequest, type ApiResponse, type Router } from "./http";
import type { RateLimiter } from "./rate-limit";
import { digest } from "./secrets";

/** The runner protocol is not behind the API rate limits (GitLab exempts it), and its bodies are larger. */
const RUNNER_PATHS = [
  /^\/runners\/verify$/,
  /^\/runners\/reset_authentication_token$/,
  /^\/jobs\/request$/,
  /^\/jobs\/\d+(\/trace|\/artifacts)?$/,
  /^\/runners$/,
  /^\/runners\/managers$/,
];
const RUNNER_BODY_LIMIT = 8 * 1024 * 1024;

export interface ServerOptions {
  router: Router;
  externalUrl: string;
  rateLimiter: RateLimiter;
  /** Requests outside /api/v4 (the OIDC provider, sign-in pages); returns false when it did not handle one. */
  otherRoutes?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  logRequests?: boolean;
}

/** The HTTP front: /api/v4 routing, body parsing, rate limits, GitLab's common headers and error bodies. */
export function createHandler(options: ServerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const url = new URL(req.url ?? "/", options.externalUrl);
    res.on("finish", () => {
      if (options.logRequests) {
        console.error(`demo-gitlab: ${req.method} ${url.pathname} ${res.statusCode} ${Date.now() - started}ms`);
      }
    });
    try {
      if (url.pathname === "/-/health") return send(res, req, { status: 200, text: "GitLab OK" });
      if (url.pathname === "/-/readiness" || url.pathname === "/-/liveness") {
        return send(res, req, { status: 200, body: { status: "ok" } });
      }
      if (!url.pathname.startsWith("/api/v4/")) {
        if (options.otherRoutes && (await options.otherRoutes(req, res))) return;
        return send(res, req, { status: 404, text: "Not Found", headers: { "Content-Type": "text/plain" } });
      }
      const path = url.pathname.slice("/api/v4".length);
      // GET /runners is the REST list; the runner protocol only posts, puts, patches and deletes.
      const runnerCall = RUNNER_PATHS.some((p) => p.test(path)) && (req.method !== "GET" || /\/artifacts$/.test(path));
      let rateHeaders: Record<string, string> = {};
      if (!runnerCall) {
        const secret =
          req.headers["private-token"] ?? /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
        const key = secret ? `token:${digest(String(secret))}` : `ip:${req.socket.remoteAddress}`;
        const verdict = options.rateLimiter.check(key, !!secret);
        rateHeaders = verdict.headers;
        if (!verdict.allowed) {
          return send(res, req, {
            status: 429,
            text: "Retry later\n",
            headers: { ...rateHeaders, "Content-Type": "text/plain" },
          });
        }
      }
      const match = options.router.match(req.method ?? "GET", path);
      if (match === null)
        return send(res, req, { status: 404, body: { error: "404 Not Found" }, headers: rateHeaders });
      if (match === "wrong-method")
        return send(res, req, { status: 405, body: { error: "405 Not Allowed" }, headers: rateHeaders });
      const rawBody = await readBody(req, runnerCall ? RUNNER_BODY_LIMIT : MAX_JSON_BODY);
      const isTrace = /\/trace$/.test(path) && req.method === "PATCH";
      const fields = isTrace ? {} : await parseBodyFields(req.headers, rawBody);
      const abort = new AbortController();
      res.on("close", () => abort.abort());
      const apiRequest: ApiRequest = {
        method: req.method ?? "GET",
        path,
        url,
        query: url.searchParams,
        headers: req.headers,
        params: match.params,
        input: { ...Object.fromEntries(url.searchParams), ...queryArrays(url.searchParams), ...fields },
        rawBody,
        remoteAddress: req.socket.remoteAddress ?? "",
        signal: abort.signal,
      };
      const response = await match.handler(apiRequest);
      send(res, req, { ...response, headers: { ...rateHeaders, ...response.headers } });
    } catch (error) {
      if (error instanceof ApiError) {
        return send(res, req, { status: error.status, body: error.body, headers: error.headers });
      }
      console.error("demo-gitlab: internal error:", error);
      send(res, req, { status: 500, body: { message: "500 Internal Server Error" } });
    }
  };
}

function queryArrays(search: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of new Set(search.keys())) {
    if (key.endsWith("[]")) out[key.slice(0, -2)] = search.getAll(key);
  }
  return out;
}

function send(res: ServerResponse, req: IncomingMessage, response: ApiResponse): void {
  if (res.headersSent || res.destroyed) return;
  const requestId = crypto.randomBytes(13).toString("base64url").slice(0, 26).toUpperCase();
  const headers: Record<string, string> = {
    "Cache-Control": "max-age=0, private, must-revalidate",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Request-Id": requestId,
    "X-Gitlab-Meta": JSON.stringify({ correlation_id: requestId, version: "1" }),
    Vary: "Origin",
    ...response.headers,
  };
  let payload: Buffer | undefined;
  if (response.text !== undefined) {
    headers["Content-Type"] ??= "text/plain";
    payload = Buffer.from(response.text);
  } else if (response.body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = Buffer.from(JSON.stringify(response.body));
  }
  if (payload) headers["Content-Length"] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(req.method === "HEAD" ? undefined : payload);
}
