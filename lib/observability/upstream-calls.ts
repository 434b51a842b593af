import diagnosticsChannel from "node:diagnostics_channel";
import { metrics } from "./metrics";

export type Upstream = "kubernetes" | "gitlab";
export type Outcome = "ok" | "client_error" | "server_error" | "network_error";

/**
 * Which upstream an outgoing request path belongs to: GitLab's REST API and OAuth/OIDC endpoints,
 * or the Kubernetes API (core, groups, discovery, OpenAPI). Anything else is not counted.
 */
export function upstreamOf(path: string): Upstream | null {
  if (/^\/(api\/v4\/|oauth\/|\.well-known\/openid-configuration)/.test(path)) return "gitlab";
  if (/^\/(api|apis)(\/|$|\?)|^\/(version|openapi)(\/|$|\?)/.test(path)) return "kubernetes";
  return null;
}

export function outcomeOf(status: number | null): Outcome {
  if (status === null) return "network_error";
  if (status >= 500) return "server_error";
  if (status >= 400) return "client_error";
  return "ok";
}

interface HttpClientRequest {
  path?: string;
  once?: (event: "close", listener: () => void) => void;
}
interface HttpClientResponse {
  statusCode?: number;
}
interface UndiciRequest {
  path?: string;
}

const installed = globalThis as unknown as { askCiUpstreamCounting?: boolean };

/**
 * Counts every outgoing Kubernetes and GitLab request of the process, whichever client made it
 * (@kubernetes/client-node, our own https requests, fetch), from Node's diagnostics channels.
 */
export function countUpstreamCalls(): void {
  if (installed.askCiUpstreamCounting) return;
  installed.askCiUpstreamCounting = true;
  const count = (path: string | undefined, status: number | null) => {
    const upstream = path ? upstreamOf(path) : null;
    if (upstream) metrics().upstreamCalls.inc({ upstream, outcome: outcomeOf(status) });
  };
  // Node 20 has no request-error channel: a request that closes without a response failed on the network.
  // A 'close' listener, unlike an 'error' one, leaves the caller's error handling as it was.
  const answered = new WeakSet<object>();
  diagnosticsChannel.subscribe("http.client.request.start", (message) => {
    const { request } = message as { request: HttpClientRequest };
    request.once?.("close", () => {
      if (!answered.has(request)) count(request.path, null);
    });
  });
  diagnosticsChannel.subscribe("http.client.response.finish", (message) => {
    const { request, response } = message as { request: HttpClientRequest; response: HttpClientResponse };
    answered.add(request);
    count(request.path, response.statusCode ?? null);
  });
  diagnosticsChannel.subscribe("undici:request:headers", (message) => {
    const { request, response } = message as { request: UndiciRequest; response: HttpClientResponse };
    count(request.path, response.statusCode ?? null);
  });
  diagnosticsChannel.subscribe("undici:request:error", (message) => {
    count((message as { request: UndiciRequest }).request.path, null);
  });
}
