import "server-only";
import http from "node:http";
import https from "node:https";

export interface TransportRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** PEM bundle trusted instead of the system store (a self-managed GitLab's own CA). */
  caCertificate?: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** A network-level failure: `code` is Node's error code (ECONNREFUSED, ETIMEDOUT, CERT_HAS_EXPIRED, ...). */
export class TransportError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = "TransportError";
  }
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/**
 * One HTTP(S) exchange with a hard deadline over the whole exchange (connect, headers and body),
 * the connection's CA, and a cap on the body so a wrong URL cannot fill memory. node:https rather
 * than fetch because fetch cannot take a per-request CA without an extra dispatcher package.
 */
export const nodeTransport: Transport = (request) =>
  new Promise<TransportResponse>((resolve, reject) => {
    const protocol = request.url.protocol === "http:" ? http : https;
    let settled = false;
    const fail = (code: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(new TransportError(code));
    };
    let req: http.ClientRequest;
    try {
      req = protocol.request(request.url, {
        method: request.method,
        headers: {
          ...request.headers,
          ...(request.body !== undefined ? { "content-length": String(Buffer.byteLength(request.body)) } : {}),
        },
        ...(request.caCertificate ? { ca: request.caCertificate } : {}),
      });
    } catch (error) {
      reject(new TransportError((error as NodeJS.ErrnoException).code ?? "ERR_REQUEST"));
      return;
    }
    const timer = setTimeout(() => fail("ETIMEDOUT"), request.timeoutMs);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxResponseBytes) return fail("ERR_RESPONSE_TOO_LARGE");
        chunks.push(chunk);
      });
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
        }
        resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", (error: NodeJS.ErrnoException) => fail(error.code ?? "ECONNRESET"));
    });
    req.on("error", (error: NodeJS.ErrnoException) => fail(error.code ?? "ERR_REQUEST"));
    req.end(request.body);
  });
