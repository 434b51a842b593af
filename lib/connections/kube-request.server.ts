import "server-only";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { problem, type ConnectionProblem } from "./problems";
import { networkFailure } from "@/lib/http/network-errors";

export interface KubeResponse {
  status: number;
  body: unknown;
  latencyMs: number;
}

export class KubeRequestError extends Error {
  constructor(readonly problem: ConnectionProblem) {
    super(problem.code);
    this.name = "KubeRequestError";
  }
}

const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * One JSON request to the API server with the KubeConfig's TLS and auth settings. Used by the
 * connection test instead of the generated clients because it needs the raw TLS error codes,
 * a hard timeout and the latency. Errors become ConnectionProblems without credentials or bodies.
 */
export async function kubeRequest(
  config: KubeConfig,
  request: { method?: "GET" | "POST"; path: string; body?: unknown; timeoutMs?: number },
): Promise<KubeResponse> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeRequestError(problem("invalidUrl"));
  const url = new URL(cluster.server.replace(/\/+$/, "") + request.path);
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  const options: https.RequestOptions = {
    method: request.method ?? "GET",
    headers: { accept: "application/json", ...(payload ? { "content-type": "application/json" } : {}) },
  };
  await config.applyToHTTPSOptions(options);
  const timeoutMs = request.timeoutMs ?? 10_000;

  return new Promise<KubeResponse>((resolve, reject) => {
    const started = performance.now();
    let req: ReturnType<typeof https.request>;
    try {
      req = https.request(url, options, onResponse);
    } catch (error) {
      // Building the TLS context fails synchronously on PEM that parses but OpenSSL refuses.
      reject(new KubeRequestError(classifyNetworkError(error)));
      return;
    }
    function onResponse(res: import("node:http").IncomingMessage) {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy();
          reject(new KubeRequestError(problem("notKubernetes")));
          return;
        }
        chunks.push(chunk);
      });
      res.on("end", () => {
        const latencyMs = Math.round(performance.now() - started);
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = null;
        }
        resolve({ status: res.statusCode ?? 0, body, latencyMs });
      });
      res.on("error", (error) => reject(new KubeRequestError(classifyNetworkError(error))));
    }
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    req.on("error", (error) =>
      reject(error instanceof KubeRequestError ? error : new KubeRequestError(classifyNetworkError(error))),
    );
    req.end(payload);
  });
}

/** Maps a Node network/TLS error to what the user can act on. Only the error code is kept. */
export function classifyNetworkError(error: unknown): ConnectionProblem {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  const failure = networkFailure(code);
  switch (failure) {
    case "tlsUntrusted":
      return problem(failure, { detail: code }, "caCertificate");
    case "tlsCertificateExpired":
      return problem(failure, { detail: code });
    case "timeout":
      return problem(failure, undefined, "server");
    default:
      return problem(failure, { detail: code || "error" }, "server");
  }
}
