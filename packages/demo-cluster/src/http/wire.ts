/** Reading request bodies and writing responses as kube-apiserver does (headers, Status errors, warnings). */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import YAML from "yaml";
import { ApiError, badRequest, internalError } from "../errors";
import { isPlainObject } from "../merge";
import { decodeKubeProtobuf } from "../protobuf";
import type { PatchType } from "../store";

export const MAX_BODY = 3 * 1024 * 1024;

export function send(resp: ServerResponse, code: number, body: string, headers: Record<string, string> = {}): void {
  if (resp.headersSent) {
    resp.end();
    return;
  }
  resp.writeHead(code, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache, private",
    "Audit-Id": randomUUID(),
    "Content-Length": String(Buffer.byteLength(body)),
    ...headers,
  });
  resp.end(body);
}

export function sendJson(resp: ServerResponse, code: number, body: unknown, warnings: string[] = []): void {
  const headers: Record<string, string> = {};
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(", ");
  send(resp, code, typeof body === "string" ? body : JSON.stringify(body), headers);
}

export function sendError(resp: ServerResponse, err: unknown): void {
  const e = err instanceof ApiError ? err : internalError(err);
  if (!(err instanceof ApiError)) console.error("demo-cluster: internal error:", err);
  sendJson(resp, e.code, e.toStatus());
}

/** A streaming response (watch, follow): chunked, never cached. */
export function startStream(resp: ServerResponse, contentType: string, headers: Record<string, string> = {}): void {
  resp.writeHead(200, {
    "Content-Type": contentType,
    "Cache-Control": "no-cache, private",
    "Transfer-Encoding": "chunked",
    ...headers,
  });
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    const tooLarge = () => new ApiError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limit}`);
    if (declared > limit) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on("error", (e) => {
      if (!failed) reject(badRequest(`error reading request body: ${e.message}`));
    });
  });
}

export function mediaType(req: IncomingMessage): string {
  return String(req.headers["content-type"] ?? "")
    .split(";")[0]
    .trim()
    .toLowerCase();
}

export function parseJson(buf: Buffer, what: string): unknown {
  try {
    return JSON.parse(buf.toString("utf8"));
  } catch (e) {
    throw badRequest(`${what}json parse error: ${(e as Error).message}`);
  }
}

export function parseYaml(buf: Buffer): unknown {
  try {
    const docs = YAML.parseAllDocuments(buf.toString("utf8"));
    if (docs.length !== 1)
      throw new Error(docs.length === 0 ? "empty document" : "multiple documents are not supported");
    const doc = docs[0];
    if (doc.errors.length) throw doc.errors[0];
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw badRequest(`error decoding YAML: ${(e as Error).message}`);
  }
}

export const PATCH_TYPES: Record<string, PatchType> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
};

export function unsupportedMedia(accepted: string): ApiError {
  return new ApiError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted}`,
  );
}

/** Body of POST/PUT as an object. */
export function decodeObject(req: IncomingMessage, buf: Buffer): Record<string, unknown> {
  const t = mediaType(req);
  let body: unknown;
  if (t === "" || t === "application/json" || t === "*/*") body = parseJson(buf, "couldn't get version/kind; ");
  else if (t === "application/yaml") body = parseYaml(buf);
  else if (t === "application/vnd.kubernetes.protobuf") body = decodeKubeProtobuf(buf);
  else
    throw unsupportedMedia("application/json, application/yaml, application/vnd.kubernetes.protobuf, application/cbor");
  if (!isPlainObject(body))
    throw badRequest("the object provided is unrecognized: the request body must be a JSON object");
  return body;
}

export function acceptsTable(req: IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? "");
  return /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}
