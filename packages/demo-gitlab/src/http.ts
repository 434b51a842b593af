import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { ApiError } from "./errors";

export interface ApiRequest {
  method: string;
  /** Path below /api/v4, undecoded (a project id may be an encoded path: group%2Fproject). */
  path: string;
  url: URL;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Route parameters, decoded. */
  params: Record<string, string>;
  /** Query parameters and body fields merged (the body wins), as Grape's `params`. */
  input: Record<string, unknown>;
  rawBody: Buffer;
  remoteAddress: string;
  /** Aborted when the client goes away (ends a long poll early). */
  signal: AbortSignal;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; `text` for plain text answers. */
  body?: unknown;
  text?: string;
}

export type Handler = (req: ApiRequest) => ApiResponse | Promise<ApiResponse>;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

/** Method + path pattern (`/projects/:id/jobs/:job_id`) routing; `:id` matches one undecoded segment. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, segments: pattern.split("/").filter(Boolean), handler });
    return this;
  }

  get = (pattern: string, handler: Handler) => this.add("GET", pattern, handler);
  post = (pattern: string, handler: Handler) => this.add("POST", pattern, handler);
  put = (pattern: string, handler: Handler) => this.add("PUT", pattern, handler);
  patch = (pattern: string, handler: Handler) => this.add("PATCH", pattern, handler);
  delete = (pattern: string, handler: Handler) => this.add("DELETE", pattern, handler);

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | "wrong-method" | null {
    const parts = path.split("/").filter(Boolean);
    let pathMatched = false;
    // Literal segments win over parameters (GET /runners/all before /runners/:id), as Grape's order does.
    const candidates = this.routes
      .map((route) => ({ route, params: matchSegments(route.segments, parts) }))
      .filter((c): c is { route: Route; params: Record<string, string> } => c.params !== null)
      .sort((a, b) => literalCount(b.route) - literalCount(a.route));
    for (const { route, params } of candidates) {
      pathMatched = true;
      if (route.method === method || (method === "HEAD" && route.method === "GET")) {
        return { handler: route.handler, params };
      }
    }
    return pathMatched ? "wrong-method" : null;
  }
}

function literalCount(route: Route): number {
  return route.segments.filter((s) => !s.startsWith(":")).length;
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  // A trailing "*name" takes the rest (repository file paths).
  const rest = pattern.at(-1)?.startsWith("*") ? pattern.at(-1) : undefined;
  if (rest ? parts.length < pattern.length : parts.length !== pattern.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith("*")) {
      params[p.slice(1)] = safeDecode(parts.slice(i).join("/"));
      return params;
    }
    if (p.startsWith(":")) {
      const value = safeDecode(parts[i]);
      if (value === null) return null;
      params[p.slice(1)] = value;
    } else if (p !== parts[i]) {
      return null;
    }
  }
  return params;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export const MAX_JSON_BODY = 1024 * 1024;

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw new ApiError(413, { message: "413 Request Entity Too Large" });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ApiError(413, { message: "413 Request Entity Too Large" });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Body fields from JSON, form-urlencoded or multipart (curl --form), as Grape accepts them. */
export async function parseBodyFields(headers: IncomingHttpHeaders, body: Buffer): Promise<Record<string, unknown>> {
  if (body.length === 0) return {};
  const type = (headers["content-type"] ?? "").toLowerCase();
  if (type.includes("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new ApiError(400, { error: "The provided content-type 'application/json' is not supported." });
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new ApiError(400, { error: "The request body must be a JSON object." });
    }
    return parsed as Record<string, unknown>;
  }
  if (type.includes("application/x-www-form-urlencoded")) {
    return formFields(new URLSearchParams(body.toString("utf8")));
  }
  if (type.includes("multipart/form-data")) {
    try {
      const form = await new Request("http://local/", {
        method: "POST",
        headers: { "content-type": headers["content-type"] as string },
        body: new Uint8Array(body),
      }).formData();
      const fields: Record<string, unknown> = {};
      for (const [key, value] of form.entries()) addField(fields, key, typeof value === "string" ? value : "");
      return fields;
    } catch {
      throw new ApiError(400, { error: "The multipart body could not be read." });
    }
  }
  return {};
}

/** Rails-style keys: `tag_list[]=a&tag_list[]=b` → array, `variables[0][key]=K` → nested. */
export function formFields(search: URLSearchParams): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of search) addField(fields, key, value);
  return fields;
}

function addField(fields: Record<string, unknown>, key: string, value: string): void {
  const path = key.replace(/\]/g, "").split("[");
  let target: Record<string, unknown> = fields;
  for (let i = 0; i < path.length; i++) {
    const name = path[i];
    const last = i === path.length - 1;
    if (name === "") return; // "a[]" handled below
    const next = path[i + 1];
    if (last) {
      target[name] = value;
    } else if (next === "" && i + 1 === path.length - 1) {
      const list = Array.isArray(target[name]) ? (target[name] as unknown[]) : [];
      list.push(value);
      target[name] = list;
      return;
    } else {
      const child = target[name];
      target[name] = child && typeof child === "object" ? child : {};
      target = target[name] as Record<string, unknown>;
    }
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): ApiResponse {
  return { status, body, headers };
}
