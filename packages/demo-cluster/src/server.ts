/**
 * The API server's front door: health and version without credentials, then authentication, then
 * discovery or a resource. Each concern has its own handler in `http/` (discovery, objects, watch,
 * logs, scale, reviews); this file only routes and turns thrown ApiErrors into Status responses.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { authenticate } from "./auth";
import { ApiError, badRequest, methodNotAllowed } from "./errors";
import type { HandlerContext, ServerContext } from "./http/context";
import { handleDiscovery, isDiscoveryPath } from "./http/discovery";
import { createUpgradeHandler } from "./http/exec";
import { handleResource } from "./http/resource";
import { parseRoute } from "./http/route";
import { MAX_BODY, send, sendError, sendJson } from "./http/wire";

export type { ServerContext } from "./http/context";

export const KUBE_VERSION = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.1-aliyun.1",
  gitCommit: "4ad0e1f1a2b5e9c7d3f6a8b0c2e4d6f8a0b2c4d6",
  gitTreeState: "clean",
  buildDate: "2025-02-20T08:30:00Z",
  goVersion: "go1.23.4",
  compiler: "gc",
  platform: "linux/amd64",
};

export interface RequestHandler {
  handle(req: IncomingMessage, resp: ServerResponse): void;
  /** The server's `upgrade` listener: pods/exec and pods/attach over WebSocket. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends every open watch, log stream and exec/attach session (on shutdown, so clients see a clean end and reconnect). */
  closeStreams(): void;
}

const UNAUTHORIZED = {
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message: "Unauthorized",
  reason: "Unauthorized",
  code: 401,
};

async function route(ctx: HandlerContext, req: IncomingMessage, resp: ServerResponse): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "https://demo-cluster");
  } catch {
    throw badRequest("invalid request URL");
  }
  const p = url.pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";

  const open = p === "/version" || /^\/(healthz|readyz|livez)(\/.*)?$/.test(p);
  if (open && method !== "GET" && method !== "HEAD") throw methodNotAllowed();
  if (p === "/version") return sendJson(resp, 200, KUBE_VERSION);
  if (open)
    return send(resp, 200, "ok", { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" });

  const user = authenticate(ctx.tokens, req.headers.authorization);
  if (!user) {
    req.resume();
    return sendJson(resp, 401, UNAUTHORIZED);
  }
  if (isDiscoveryPath(p) && handleDiscovery(ctx, req, resp, p, url, user)) return;

  const r = parseRoute(ctx.registry, p);
  if (!r) {
    req.resume();
    throw new ApiError(404, "NotFound", "the server could not find the requested resource", {});
  }
  return handleResource(ctx, req, resp, r, url, user);
}

export function createRequestHandler(server: ServerContext): RequestHandler {
  const ctx: HandlerContext = {
    ...server,
    maxBody: server.maxBodyBytes ?? MAX_BODY,
    bookmarkMs: server.bookmarkIntervalMs ?? 60_000,
    streams: new Set(),
  };
  return {
    upgrade: createUpgradeHandler(ctx),
    handle(req, resp) {
      const started = Date.now();
      // Bodies nobody reads (a GET with one, an early error) are drained, so the keep-alive
      // connection can carry the next request.
      if (req.method === "GET" || req.method === "HEAD") req.resume();
      if (ctx.logRequests) {
        resp.on("finish", () =>
          console.error(`demo-cluster: ${req.method} ${req.url} -> ${resp.statusCode} (${Date.now() - started} ms)`),
        );
      }
      route(ctx, req, resp).catch((err) => {
        // Drain what is left of the body so the keep-alive connection stays usable.
        if (!req.readableEnded) req.resume();
        try {
          if (err instanceof ApiError && err.code === 413) resp.setHeader("Connection", "close");
          sendError(resp, err);
        } catch (e) {
          console.error("demo-cluster: failed to send error:", e);
          resp.destroy();
        }
      });
    },
    closeStreams() {
      for (const finish of [...ctx.streams]) finish();
    },
  };
}
