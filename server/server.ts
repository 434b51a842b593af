import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import next from "next";
import { settleForwardedHeaders } from "../lib/http/forwarded";
import { beginShutdown, isShuttingDown, runShutdownSteps } from "../lib/lifecycle";
import { log, withRequestId } from "../lib/observability/log";
import { metrics } from "../lib/observability/metrics";
import { clientErrorResponse } from "./client-error";
import { requestIdOf } from "./request-id";
import { shellUpgradeHandler } from "./shell-socket";
import { routeMatcher, type RouteMatcher } from "./route-label";

export interface ServerOptions {
  dir: string;
  port: number;
  hostname: string;
  /** ASK_CI_TRUST_PROXY: believe the last X-Forwarded-For entry and the proxy's host and protocol. */
  trustProxy?: boolean;
  /** Longest wait for in-flight work after SIGTERM before exiting anyway. */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  /** Graceful stop: see docs/operations.md "Shutdown". */
  shutdown(reason: string): Promise<void>;
}

function loadRouteMatcher(dir: string): RouteMatcher {
  try {
    return routeMatcher(JSON.parse(fs.readFileSync(path.join(dir, ".next", "routes-manifest.json"), "utf8")));
  } catch {
    return () => "(unknown)";
  }
}

/**
 * Next.js behind a plain Node HTTP server (the documented custom-server API), so that every
 * request gets a request id and its status counted by route, and so that shutdown can stop
 * accepting connections before the app lets go of its streams, writes and leadership.
 */
/**
 * In Next.js's standalone output there is no next.config.js (nor the plugins it requires): the
 * build's resolved configuration is in .next/required-server-files.json, as Next's own standalone
 * server.js reads it.
 */
function standaloneConfig(dir: string): Record<string, unknown> | undefined {
  const file = path.join(dir, ".next", "required-server-files.json");
  if (fs.existsSync(path.join(dir, "next.config.js")) || !fs.existsSync(file)) return undefined;
  const config = (JSON.parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config;
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
  return config;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const conf = standaloneConfig(options.dir);
  const app = next({
    dev: false,
    dir: options.dir,
    hostname: options.hostname,
    port: options.port,
    ...(conf ? { conf } : {}),
  });
  const handle = app.getRequestHandler();
  await app.prepare();
  const routeOf = loadRouteMatcher(options.dir);
  const { httpRequests, httpDuration } = metrics();

  const server = http.createServer((request, response) => {
    // Before Next.js reads them: otherwise a client chooses its own address and host (lib/http/forwarded.ts).
    settleForwardedHeaders(request.headers, request.socket.remoteAddress, options.trustProxy ?? false);
    const requestId = requestIdOf(request.headers["x-request-id"]);
    request.headers["x-request-id"] = requestId;
    response.setHeader("x-request-id", requestId);
    // A client keeping its connection open would otherwise keep sending requests here during shutdown.
    if (isShuttingDown()) response.setHeader("connection", "close");
    const started = process.hrtime.bigint();
    const pathname = (request.url ?? "/").split("?")[0];
    response.on("close", () => {
      const route = routeOf(pathname);
      const method = request.method ?? "GET";
      const status = String(response.statusCode);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      httpRequests.inc({ route, method, status });
      httpDuration.observe({ route, method }, seconds);
      // The route pattern, never the URL: paths and queries can carry names or tokens.
      if (route !== "/_next/static") {
        withRequestId(requestId, () =>
          log().info({ method, route, status: response.statusCode, ms: Math.round(seconds * 1000) }, "request"),
        );
      }
    });
    withRequestId(requestId, () => {
      handle(request, response).catch((error: unknown) => {
        log().error({ err: error }, "request failed");
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
        response.end("Internal error");
      });
    });
  });
  server.keepAliveTimeout = 65_000; // longer than typical load balancer idle timeouts (SLB: 60 s)
  const shellUpgrade = shellUpgradeHandler();
  const nextUpgrade = app.getUpgradeHandler();
  // Refused by Node's parser before any handler (a URL over the header size limit): say why.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable) socket.end(clientErrorResponse(error.code));
    else socket.destroy();
  });
  server.on("upgrade", (request, socket, head) => {
    if (!shellUpgrade(request, socket, head)) void nextUpgrade(request, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      log().info({ reason }, "shutting down: readiness off, streams told to reconnect, no new connections");
      beginShutdown();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await runShutdownSteps((step, error) => log().error({ step, err: error }, "shutdown step failed"));
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, options.shutdownTimeoutMs ?? 20_000).unref());
      await Promise.race([closed, deadline]);
      server.closeAllConnections();
      log().info("stopped");
    })();
    return stopping;
  };
  const host = options.hostname === "::" || options.hostname === "0.0.0.0" ? "localhost" : options.hostname;
  return { url: `http://${host}:${port}`, shutdown };
}
