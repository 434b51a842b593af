import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import YAML from "yaml";
import { Authorizer, authenticate, type Attributes, type ClusterTokens, type UserInfo } from "./auth";
import { toView } from "./convert";
import { ApiError, badRequest, internalError, methodNotAllowed, notFound, qualifiedResource } from "./errors";
import { deepClone, isPlainObject, jsonMergePatch, jsonPatch, strategicMergePatch } from "./merge";
import type { OpenApi } from "./openapi";
import { apiVersionOf, isReviewKind, type ResourceInfo, type ResourceRegistry } from "./resources";
import { cachedJson, watchLine } from "./json-cache";
import { decodeKubeProtobuf } from "./protobuf";
import { parseFieldSelector, parseLabelSelector } from "./selectors";
import type { FieldValidation, MemoryStore, PatchType, WriteOptions } from "./store";
import { tableRow, tableColumns, toTable, type IncludeObject } from "./tables";
import type { Clock, KubeObject, PodLogSource, WatchEventType } from "./types";

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

export interface ServerContext {
  store: MemoryStore;
  registry: ResourceRegistry;
  openapi: OpenApi;
  tokens: ClusterTokens;
  authorizer: Authorizer;
  /** Where pod logs come from (the simulation's kubelet, or the in-memory default). */
  logs: () => PodLogSource;
  clock: Clock;
  /** "127.0.0.1:6443", for serverAddressByClientCIDRs. */
  address: () => string;
  bookmarkIntervalMs?: number;
  maxBodyBytes?: number;
  /** Log each request to stderr (DEMO_CLUSTER_LOG_REQUESTS=1). */
  logRequests?: boolean;
}

const MAX_BODY = 3 * 1024 * 1024;
/** Serializes a stored object as served for `res`, once per object and version. */
function objectJson(res: ResourceInfo, obj: KubeObject): string {
  return cachedJson(obj, apiVersionOf(res), () => toView(res, obj));
}

interface Route {
  res: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPath: boolean;
}

function send(resp: ServerResponse, code: number, body: string, headers: Record<string, string> = {}): void {
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

function sendJson(resp: ServerResponse, code: number, body: unknown, warnings: string[] = []): void {
  const headers: Record<string, string> = {};
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(", ");
  send(resp, code, typeof body === "string" ? body : JSON.stringify(body), headers);
}

function sendError(resp: ServerResponse, err: unknown): void {
  const e = err instanceof ApiError ? err : internalError(err);
  if (!(err instanceof ApiError)) console.error("demo-cluster: internal error:", err);
  sendJson(resp, e.code, e.toStatus());
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
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

function mediaType(req: IncomingMessage): string {
  return String(req.headers["content-type"] ?? "")
    .split(";")[0]
    .trim()
    .toLowerCase();
}

function parseJson(buf: Buffer, what: string): unknown {
  try {
    return JSON.parse(buf.toString("utf8"));
  } catch (e) {
    throw badRequest(`${what}json parse error: ${(e as Error).message}`);
  }
}

function parseYaml(buf: Buffer): unknown {
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

const PATCH_TYPES: Record<string, PatchType> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
};

function unsupportedMedia(accepted: string): ApiError {
  return new ApiError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted}`,
  );
}

/** Body of POST/PUT as an object. */
function decodeObject(req: IncomingMessage, buf: Buffer): Record<string, unknown> {
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

function q(url: URL, name: string): string | undefined {
  const v = url.searchParams.get(name);
  return v === null ? undefined : v;
}

function boolParam(url: URL, name: string): boolean {
  const v = q(url, name);
  return v === "1" || v === "true";
}

function intParam(url: URL, name: string): number | undefined {
  const v = q(url, name);
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${v}`);
  return n;
}

function writeOptions(url: URL, req: IncomingMessage): WriteOptions {
  const dryRun = url.searchParams.getAll("dryRun");
  for (const d of dryRun)
    if (d !== "All") throw badRequest(`Invalid dryRun value: ${JSON.stringify(d)}: supported values: "All"`);
  const fv = q(url, "fieldValidation");
  if (fv !== undefined && !["Strict", "Warn", "Ignore"].includes(fv)) {
    throw badRequest(
      `Invalid value: ${JSON.stringify(fv)}: fieldValidation must be one of "Ignore", "Warn", or "Strict"`,
    );
  }
  const ua = String(req.headers["user-agent"] ?? "unknown");
  return {
    dryRun: dryRun.length > 0,
    fieldManager: q(url, "fieldManager") || ua.split("/")[0] || "unknown",
    fieldValidation: (fv as FieldValidation | undefined) ?? "Warn",
    force: boolParam(url, "force"),
    warnings: [],
  };
}

function acceptsTable(req: IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? "");
  return /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export interface RequestHandler {
  handle(req: IncomingMessage, resp: ServerResponse): void;
  /** Ends every open watch and log stream (on shutdown, so clients see a clean end and reconnect). */
  closeStreams(): void;
}

export function createRequestHandler(ctx: ServerContext): RequestHandler {
  const { store, registry, openapi, authorizer } = ctx;
  const streams = new Set<() => void>();
  const maxBody = ctx.maxBodyBytes ?? MAX_BODY;
  const bookmarkMs = ctx.bookmarkIntervalMs ?? 60_000;

  function now(): number {
    return ctx.clock.now();
  }

  function discoveryResources(group: string, version: string): Record<string, unknown> {
    const resources: Record<string, unknown>[] = [];
    for (const r of registry.resourcesIn(group, version)) {
      resources.push({
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
        ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
        ...(r.categories.length ? { categories: r.categories } : {}),
      });
      for (const sub of r.subresources) {
        if (sub === "finalize") continue;
        if (sub === "scale") {
          resources.push({
            name: `${r.plural}/scale`,
            singularName: "",
            namespaced: r.namespaced,
            group: "autoscaling",
            version: "v1",
            kind: "Scale",
            verbs: ["get", "patch", "update"],
          });
        } else if (sub === "log") {
          resources.push({
            name: `${r.plural}/log`,
            singularName: "",
            namespaced: r.namespaced,
            kind: "Pod",
            verbs: ["get"],
          });
        } else {
          resources.push({
            name: `${r.plural}/${sub}`,
            singularName: "",
            namespaced: r.namespaced,
            kind: r.kind,
            verbs: ["get", "patch", "update"],
          });
        }
      }
    }
    return {
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: group ? `${group}/${version}` : version,
      resources,
    };
  }

  /** apidiscovery.k8s.io/v2 APIGroupDiscoveryList for /api (core) or /apis (the groups). */
  function aggregatedDiscovery(core: boolean): Record<string, unknown> {
    const groups = core ? [{ name: "", versions: ["v1"] }] : registry.groups();
    const items = groups.map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        freshness: "Current",
        resources: registry.resourcesIn(g.name, v).map((r) => ({
          resource: r.plural,
          responseKind: { group: r.group, version: r.version, kind: r.kind },
          scope: r.namespaced ? "Namespaced" : "Cluster",
          singularResource: r.singular,
          verbs: r.verbs,
          ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
          ...(r.categories.length ? { categories: r.categories } : {}),
          ...(r.subresources.filter((sr) => sr !== "finalize").length
            ? {
                subresources: r.subresources
                  .filter((sr) => sr !== "finalize")
                  .map((sr) => ({
                    subresource: sr,
                    responseKind:
                      sr === "scale"
                        ? { group: "autoscaling", version: "v1", kind: "Scale" }
                        : sr === "log"
                          ? { group: "", version: "v1", kind: "Pod" }
                          : { group: r.group, version: r.version, kind: r.kind },
                    verbs: sr === "log" ? ["get"] : ["get", "patch", "update"],
                  })),
              }
            : {}),
        })),
      })),
    }));
    return { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {}, items };
  }

  function wantsAggregated(req: IncomingMessage): boolean {
    const accept = String(req.headers.accept ?? "");
    return /g=apidiscovery\.k8s\.io;\s*v=v2;\s*as=APIGroupDiscoveryList/.test(accept);
  }

  function apiGroup(name: string, versions: string[]): Record<string, unknown> {
    const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions: vs, preferredVersion: vs[0] };
  }

  function parseRoute(pathname: string): Route | undefined {
    let parts: string[];
    try {
      parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      throw badRequest(`invalid URL path: ${pathname}`);
    }
    let group: string;
    let version: string;
    let segs: string[];
    if (parts[0] === "api" && parts.length >= 3) {
      group = "";
      version = parts[1];
      segs = parts.slice(2);
    } else if (parts[0] === "apis" && parts.length >= 4) {
      group = parts[1];
      version = parts[2];
      segs = parts.slice(3);
    } else {
      return undefined;
    }
    let watchPath = false;
    if (segs[0] === "watch") {
      watchPath = true;
      segs = segs.slice(1);
    }
    let namespace: string | undefined;
    if (segs[0] === "namespaces" && segs.length >= 3) {
      const r = registry.byResource(group, version, segs[2]);
      if (r?.namespaced) {
        namespace = segs[1];
        segs = segs.slice(2);
      }
    }
    if (segs.length === 0 || segs.length > 3) return undefined;
    const res = registry.byResource(group, version, segs[0]);
    if (!res) return undefined;
    if (!res.namespaced && namespace !== undefined) return undefined;
    if (res.namespaced && namespace === undefined && segs.length > 1) return undefined;
    const subresource = segs[2];
    if (subresource !== undefined && !res.subresources.includes(subresource)) return undefined;
    return { res, namespace, name: segs[1], subresource, watchPath };
  }

  function verbOf(method: string, route: Route, url: URL): string {
    // Collections take GET/POST/DELETE, single objects GET/PUT/PATCH/DELETE.
    if ((method === "PUT" || method === "PATCH") && !route.name) throw methodNotAllowed();
    if (method === "POST" && route.name && !isReviewKind(route.res)) throw methodNotAllowed();
    switch (method) {
      case "GET":
        if (route.subresource) return "get";
        if (route.watchPath || boolParam(url, "watch")) return "watch";
        return route.name ? "get" : "list";
      case "POST":
        return "create";
      case "PUT":
        return "update";
      case "PATCH":
        return "patch";
      case "DELETE":
        return route.name ? "delete" : "deletecollection";
      default:
        throw methodNotAllowed();
    }
  }

  function authorize(user: UserInfo, attrs: Attributes, res: ResourceInfo): void {
    if (authorizer.allows(user, attrs)) return;
    throw new ApiError(
      403,
      "Forbidden",
      Authorizer.forbiddenMessage(user, attrs, qualifiedResource(res.plural, res.group)),
      {
        ...(attrs.name ? { name: attrs.name } : {}),
        ...(res.group ? { group: res.group } : {}),
        kind: res.plural,
      },
    );
  }

  function listJson(res: ResourceInfo, items: KubeObject[], meta: Record<string, unknown>): string {
    const head = `{"kind":${JSON.stringify(res.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(res))},"metadata":${JSON.stringify(meta)},"items":[`;
    return head + items.map((o) => objectJson(res, o)).join(",") + "]}";
  }

  function respondObject(
    req: IncomingMessage,
    resp: ServerResponse,
    res: ResourceInfo,
    obj: KubeObject,
    code: number,
    url: URL,
    warnings: string[] = [],
  ): void {
    if (acceptsTable(req) && code === 200 && req.method === "GET") {
      const include = (q(url, "includeObject") as IncludeObject | undefined) ?? "Metadata";
      sendJson(
        resp,
        code,
        toTable(res, [toView(res, obj)], { resourceVersion: obj.metadata.resourceVersion }, now(), include),
      );
      return;
    }
    sendJson(resp, code, objectJson(res, obj), warnings);
  }

  function selectorQuery(url: URL, res: ResourceInfo) {
    return {
      label: parseLabelSelector(q(url, "labelSelector")),
      field: parseFieldSelector(q(url, "fieldSelector"), res.kind),
    };
  }

  function handleWatch(req: IncomingMessage, resp: ServerResponse, route: Route, url: URL): void {
    const { res } = route;
    const sel = selectorQuery(url, res);
    if (route.name) sel.field.push({ field: "metadata.name", op: "=", value: route.name });
    const rv = q(url, "resourceVersion");
    if (rv !== undefined && rv !== "" && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
    const requested = intParam(url, "timeoutSeconds");
    // Like kube-apiserver's --min-request-timeout: unset (or 0) means 30–60 minutes.
    const timeoutSeconds = requested && requested > 0 ? requested : 1800 + Math.floor(Math.random() * 1800);
    const bookmarks = boolParam(url, "allowWatchBookmarks");
    const sendInitial = q(url, "sendInitialEvents") === "true";
    const table = acceptsTable(req);
    const include = (q(url, "includeObject") as IncludeObject | undefined) ?? "Metadata";
    resp.writeHead(200, {
      "Content-Type": "application/json",
      "Cache-Control": "no-cache, private",
      "Audit-Id": randomUUID(),
      "Transfer-Encoding": "chunked",
    });
    resp.flushHeaders();
    let closed = false;
    let corked = false;
    let firstTable = true;
    const write = (line: string | Buffer) => {
      if (closed) return;
      if (!corked) {
        corked = true;
        resp.cork();
        process.nextTick(() => {
          corked = false;
          resp.uncork();
        });
      }
      resp.write(line);
      // A client that cannot keep up is dropped, as kube-apiserver does; it relists.
      if (resp.writableLength > 64 * 1024 * 1024) finish();
    };
    const sink = (type: WatchEventType, obj: KubeObject) => {
      if (table) {
        const t = {
          kind: "Table",
          apiVersion: "meta.k8s.io/v1",
          metadata: { resourceVersion: obj.metadata.resourceVersion },
          columnDefinitions: firstTable ? tableColumns(res) : [],
          rows: [tableRow(res, toView(res, obj), now(), include)],
        };
        firstTable = false;
        write(`{"type":"${type}","object":${JSON.stringify(t)}}\n`);
      } else {
        write(watchLine(obj, apiVersionOf(res), type, () => objectJson(res, obj)));
      }
    };
    const bookmark = (annotations?: Record<string, string>) =>
      write(
        `{"type":"BOOKMARK","object":${JSON.stringify({
          kind: res.kind,
          apiVersion: apiVersionOf(res),
          metadata: {
            resourceVersion: String(store.resourceVersion),
            creationTimestamp: null,
            ...(annotations ? { annotations } : {}),
          },
        })}}\n`,
      );
    let cancel: (() => void) | undefined;
    const timers: Array<() => void> = [];
    const finish = () => {
      if (closed) return;
      cancel?.();
      for (const t of timers) t();
      closed = true;
      streams.delete(finish);
      resp.end();
    };
    streams.add(finish);
    resp.on("close", finish);
    try {
      cancel = store.watch(
        res,
        { namespace: route.namespace, ...sel, resourceVersion: rv, sendInitialEvents: sendInitial },
        sink,
      );
    } catch (e) {
      const err = e instanceof ApiError ? e : internalError(e);
      write(`{"type":"ERROR","object":${JSON.stringify(err.toStatus())}}\n`);
      finish();
      return;
    }
    if (sendInitial && bookmarks) bookmark({ "k8s.io/initial-events-end": "true" });
    if (bookmarks && !table) {
      const iv = setInterval(() => bookmark(), bookmarkMs);
      iv.unref();
      timers.push(() => clearInterval(iv));
    }
    const to = setTimeout(finish, timeoutSeconds * 1000);
    to.unref();
    timers.push(() => clearTimeout(to));
  }

  function handleLog(req: IncomingMessage, resp: ServerResponse, route: Route, url: URL): void {
    const pod = store.getRaw(route.res, route.namespace, route.name!);
    if (!pod) throw notFound("pods", "", route.name!);
    const spec = (pod.spec ?? {}) as { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }> };
    const names = (spec.containers ?? []).map((c) => c.name);
    const all = [...names, ...(spec.initContainers ?? []).map((c) => c.name)];
    let container = q(url, "container");
    if (!container) {
      const defaultName = pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
      if (defaultName && all.includes(defaultName)) container = defaultName;
      else if (names.length === 1) container = names[0];
      else
        throw badRequest(
          `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(" ")}]`,
        );
    }
    if (!all.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
    const previous = boolParam(url, "previous");
    const follow = boolParam(url, "follow");
    const timestamps = boolParam(url, "timestamps");
    const tail = intParam(url, "tailLines");
    const limitBytes = intParam(url, "limitBytes");
    const source = ctx.logs();
    const lines = source.read(pod.metadata.namespace!, pod.metadata.name, container, { previous });
    if (lines === undefined) {
      if (previous)
        throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
      const statuses =
        (
          pod.status as
            { containerStatuses?: Array<{ name: string; state?: { waiting?: { reason?: string } } }> } | undefined
        )?.containerStatuses ?? [];
      const waiting = statuses.find((s) => s.name === container)?.state?.waiting?.reason ?? "ContainerCreating";
      throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${waiting}`);
    }
    const stamp = (l: string) =>
      timestamps && !/^\d{4}-\d\d-\d\dT\S+ /.test(l) ? `${new Date(now()).toISOString()} ${l}` : l;
    resp.writeHead(200, {
      "Content-Type": "text/plain",
      "Cache-Control": "no-cache, private",
      "Transfer-Encoding": "chunked",
    });
    let written = 0;
    let closed = false;
    const following: { stop?: () => void } = {};
    const finish = () => {
      if (closed) return;
      closed = true;
      following.stop?.();
      streams.delete(finish);
      resp.end();
    };
    const emit = (l: string) => {
      if (closed) return;
      let text = `${stamp(l)}\n`;
      if (limitBytes !== undefined && written + Buffer.byteLength(text) > limitBytes) {
        text = Buffer.from(text)
          .subarray(0, Math.max(0, limitBytes - written))
          .toString();
        resp.write(text);
        finish();
        return;
      }
      written += Buffer.byteLength(text);
      resp.write(text);
    };
    const start = tail !== undefined && tail >= 0 ? Math.max(0, lines.length - tail) : 0;
    for (const l of lines.slice(start)) emit(l);
    if (!follow || previous || closed) {
      finish();
      return;
    }
    streams.add(finish);
    resp.on("close", finish);
    following.stop = source.follow(pod.metadata.namespace!, pod.metadata.name, container, emit, finish);
  }

  function scaleOf(obj: KubeObject): Record<string, unknown> {
    const spec = (obj.spec ?? {}) as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
    const status = (obj.status ?? {}) as { replicas?: number };
    return {
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata: {
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
        creationTimestamp: obj.metadata.creationTimestamp,
      },
      spec: { replicas: spec.replicas ?? 0 },
      status: {
        replicas: status.replicas ?? 0,
        selector: Object.entries(spec.selector?.matchLabels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(","),
      },
    };
  }

  async function handleScale(
    req: IncomingMessage,
    resp: ServerResponse,
    route: Route,
    url: URL,
    verb: string,
  ): Promise<void> {
    const { res } = route;
    const existing = store.getRaw(res, route.namespace, route.name!);
    if (!existing) throw notFound(res.plural, res.group, route.name!);
    if (verb === "get") return sendJson(resp, 200, scaleOf(existing));
    if (verb !== "update" && verb !== "patch") throw methodNotAllowed();
    const buf = await readBody(req, maxBody);
    let scale: Record<string, unknown>;
    if (verb === "update") scale = decodeObject(req, buf);
    else {
      const type = PATCH_TYPES[mediaType(req)];
      if (!type || type === "apply")
        throw unsupportedMedia(
          "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json",
        );
      const patch = parseJson(buf, "");
      const cur = scaleOf(existing);
      scale = (
        type === "json"
          ? jsonPatch(cur, patch)
          : type === "merge"
            ? jsonMergePatch(cur, patch)
            : strategicMergePatch(cur, patch)
      ) as Record<string, unknown>;
    }
    const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
      throw new ApiError(
        422,
        "Invalid",
        `Scale.autoscaling "${route.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
        {
          name: route.name,
          group: "autoscaling",
          kind: "Scale",
          causes: [{ type: "FieldValueInvalid", message: "Invalid value", field: "spec.replicas" }],
        },
      );
    }
    const rv = (scale.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    const opts = writeOptions(url, req);
    const view = deepClone(toView(res, existing));
    (view.spec as Record<string, unknown>).replicas = replicas;
    if (rv) view.metadata.resourceVersion = rv;
    else delete view.metadata.resourceVersion;
    const updated = store.updateIn(res, route.namespace, route.name, view, { ...opts, fieldValidation: "Ignore" });
    sendJson(resp, 200, scaleOf(updated));
  }

  function handleReview(resp: ServerResponse, route: Route, user: UserInfo, body: Record<string, unknown>): void {
    const spec = (body.spec ?? {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {
      kind: route.res.kind,
      apiVersion: apiVersionOf(route.res),
      metadata: { creationTimestamp: null },
      spec,
    };
    if (route.res.kind === "SelfSubjectReview") {
      out.status = { userInfo: { username: user.username, groups: user.groups } };
      delete out.spec;
    } else if (route.res.kind === "SelfSubjectAccessReview") {
      const ra = spec.resourceAttributes as Record<string, string | undefined> | undefined;
      const nra = spec.nonResourceAttributes as { path?: string; verb?: string } | undefined;
      let allowed = false;
      if (ra) {
        allowed = authorizer.allows(user, {
          verb: ra.verb ?? "",
          apiGroup: ra.group ?? "",
          resource: ra.resource ?? "",
          subresource: ra.subresource || undefined,
          namespace: ra.namespace || undefined,
          name: ra.name || undefined,
        });
      } else if (nra) {
        allowed = authorizer.allowsNonResource(user, nra.verb ?? "", nra.path ?? "");
      } else {
        throw new ApiError(
          422,
          "Invalid",
          `SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`,
          {
            group: "authorization.k8s.io",
            kind: "SelfSubjectAccessReview",
            causes: [
              {
                type: "FieldValueInvalid",
                field: "spec.resourceAttributes",
                message: "exactly one of nonResourceAttributes or resourceAttributes must be specified",
              },
            ],
          },
        );
      }
      out.status = allowed
        ? { allowed: true, reason: user.groups.includes("system:masters") ? "" : "RBAC: allowed" }
        : { allowed: false };
    } else {
      out.status = authorizer.rulesReview(user, (spec.namespace as string | undefined) || undefined);
    }
    sendJson(resp, 201, out);
  }

  async function handleResource(
    req: IncomingMessage,
    resp: ServerResponse,
    route: Route,
    url: URL,
    user: UserInfo,
  ): Promise<void> {
    const method = req.method ?? "GET";
    const verb = verbOf(method, route, url);
    const { res } = route;
    if (!res.verbs.includes(verb) && !route.subresource) throw methodNotAllowed();
    authorize(
      user,
      {
        verb,
        apiGroup: res.group,
        resource: res.plural,
        subresource: route.subresource,
        namespace: route.namespace,
        name: route.name,
      },
      res,
    );

    if (isReviewKind(res)) {
      if (verb !== "create") throw methodNotAllowed();
      const body = decodeObject(req, await readBody(req, maxBody));
      return handleReview(resp, route, user, body);
    }
    if (route.subresource === "log") {
      if (verb !== "get") throw methodNotAllowed();
      return handleLog(req, resp, route, url);
    }
    if (route.subresource === "scale") return handleScale(req, resp, route, url, verb);
    if (route.subresource === "finalize") throw methodNotAllowed();
    const sub = route.subresource;

    switch (verb) {
      case "get": {
        const obj = store.getRaw(res, route.namespace, route.name!);
        if (!obj) throw notFound(res.plural, res.group, route.name!);
        return respondObject(req, resp, res, obj, 200, url);
      }
      case "list": {
        const result = store.listRaw(res, {
          namespace: route.namespace,
          ...selectorQuery(url, res),
          limit: intParam(url, "limit"),
          continue: q(url, "continue"),
        });
        const meta: Record<string, unknown> = { resourceVersion: result.resourceVersion };
        if (result.continue) meta.continue = result.continue;
        if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
        if (acceptsTable(req)) {
          const include = (q(url, "includeObject") as IncludeObject | undefined) ?? "Metadata";
          return sendJson(
            resp,
            200,
            toTable(
              res,
              result.items.map((o) => toView(res, o)),
              meta,
              now(),
              include,
            ),
          );
        }
        return sendJson(resp, 200, listJson(res, result.items, meta));
      }
      case "watch":
        return handleWatch(req, resp, route, url);
      case "create": {
        if (route.name || sub) throw methodNotAllowed();
        const body = decodeObject(req, await readBody(req, maxBody));
        checkKind(res, body);
        const meta = (body.metadata ?? {}) as { namespace?: string };
        if (res.namespaced && meta.namespace && meta.namespace !== route.namespace) {
          throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        const opts = writeOptions(url, req);
        const created = store.createIn(res, route.namespace, body as KubeObject, opts);
        return respondObject(req, resp, res, created, 201, url, opts.warnings);
      }
      case "update": {
        const body = decodeObject(req, await readBody(req, maxBody));
        checkKind(res, body);
        const meta = (body.metadata ?? {}) as { name?: string; namespace?: string };
        if (meta.name !== route.name)
          throw badRequest(
            `the name of the object (${meta.name ?? ""}) does not match the name on the URL (${route.name})`,
          );
        if (res.namespaced && meta.namespace && meta.namespace !== route.namespace) {
          throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        const opts = { ...writeOptions(url, req), subresource: sub };
        const updated = store.updateIn(res, route.namespace, route.name, body as KubeObject, opts);
        return respondObject(req, resp, res, updated, 200, url, opts.warnings);
      }
      case "patch": {
        const type = PATCH_TYPES[mediaType(req)];
        if (!type) {
          throw unsupportedMedia(
            "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json",
          );
        }
        const buf = await readBody(req, maxBody);
        const patch = type === "apply" ? parseYaml(buf) : parseJson(buf, "");
        const opts = { ...writeOptions(url, req), subresource: sub };
        if (type === "apply" && !q(url, "fieldManager")) {
          throw new ApiError(
            422,
            "Invalid",
            'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
            {
              group: "meta.k8s.io",
              kind: "PatchOptions",
              causes: [
                {
                  type: "FieldValueRequired",
                  message: "Required value: is required for apply patch",
                  field: "fieldManager",
                },
              ],
            },
          );
        }
        if (type !== "apply" && q(url, "force")) {
          throw new ApiError(
            422,
            "Invalid",
            'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
            {
              group: "meta.k8s.io",
              kind: "PatchOptions",
              causes: [
                {
                  type: "FieldValueForbidden",
                  message: "Forbidden: may not be specified for non-apply patch",
                  field: "force",
                },
              ],
            },
          );
        }
        const before = store.getRaw(res, route.namespace, route.name!);
        const patched = store.patchIn(res, route.namespace, route.name!, type, patch, opts);
        return respondObject(req, resp, res, patched, type === "apply" && !before ? 201 : 200, url, opts.warnings);
      }
      case "delete": {
        if (sub) throw methodNotAllowed();
        const opts = await deleteOptions(req, url);
        const result = store.deleteIn(res, route.namespace, route.name!, opts);
        if (result.removed && res.kind !== "Pod" && !opts.dryRun) {
          return sendJson(resp, 200, {
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Success",
            details: {
              name: route.name,
              ...(res.group ? { group: res.group } : {}),
              kind: res.plural,
              uid: result.object.metadata.uid,
            },
          });
        }
        return sendJson(resp, 200, objectJson(res, result.object));
      }
      case "deletecollection": {
        const opts = await deleteOptions(req, url);
        const { items } = store.listRaw(res, { namespace: route.namespace, ...selectorQuery(url, res) });
        const deleted: KubeObject[] = [];
        for (const o of items) {
          try {
            deleted.push(store.deleteIn(res, o.metadata.namespace, o.metadata.name, opts).object);
          } catch (e) {
            if (!(e instanceof ApiError && e.code === 404)) throw e;
          }
        }
        return sendJson(resp, 200, listJson(res, deleted, { resourceVersion: String(store.resourceVersion) }));
      }
    }
    throw methodNotAllowed();
  }

  /** Missing apiVersion/kind default to the endpoint's, as the apiserver's decoder does. */
  function checkKind(res: ResourceInfo, body: Record<string, unknown>): void {
    const expected = apiVersionOf(res);
    body.apiVersion ??= expected;
    body.kind ??= res.kind;
    if (body.apiVersion !== expected) {
      throw badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`,
      );
    }
    if (body.kind !== res.kind) {
      throw badRequest(
        `${String(body.kind)} in version "${expected}" cannot be handled as a ${res.kind}: the kind in the data does not match the expected kind ${res.kind}`,
      );
    }
  }

  async function deleteOptions(req: IncomingMessage, url: URL) {
    const buf = await readBody(req, maxBody);
    let body: Record<string, unknown> = {};
    if (buf.length) {
      const parsed = parseJson(buf, "");
      if (isPlainObject(parsed)) body = parsed;
    }
    const policy = (q(url, "propagationPolicy") ?? body.propagationPolicy) as string | undefined;
    if (policy !== undefined && !["Background", "Foreground", "Orphan"].includes(policy)) {
      throw new ApiError(
        422,
        "Invalid",
        `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`,
        {
          group: "meta.k8s.io",
          kind: "DeleteOptions",
          causes: [
            {
              type: "FieldValueNotSupported",
              field: "propagationPolicy",
              message: `Unsupported value: ${JSON.stringify(policy)}`,
            },
          ],
        },
      );
    }
    const grace =
      intParam(url, "gracePeriodSeconds") ??
      (typeof body.gracePeriodSeconds === "number" ? body.gracePeriodSeconds : undefined);
    const dryRun =
      url.searchParams.getAll("dryRun").length > 0 || (Array.isArray(body.dryRun) && body.dryRun.length > 0);
    const orphan = body.orphanDependents === true || q(url, "orphanDependents") === "true";
    return {
      gracePeriodSeconds: grace,
      propagationPolicy: (policy ?? (orphan ? "Orphan" : undefined)) as
        "Background" | "Foreground" | "Orphan" | undefined,
      preconditions: body.preconditions as { uid?: string; resourceVersion?: string } | undefined,
      dryRun,
    };
  }

  async function route(req: IncomingMessage, resp: ServerResponse): Promise<void> {
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
      return send(resp, 200, "ok", {
        "Content-Type": "text/plain; charset=utf-8",
        "X-Content-Type-Options": "nosniff",
      });

    const user = authenticate(ctx.tokens, req.headers.authorization);
    if (!user) {
      req.resume();
      return sendJson(resp, 401, {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "Unauthorized",
        reason: "Unauthorized",
        code: 401,
      });
    }

    const discovery =
      p === "/api" ||
      p === "/apis" ||
      p.startsWith("/openapi") ||
      /^\/api\/[^/]+$/.test(p) ||
      /^\/apis\/[^/]+(\/[^/]+)?$/.test(p);
    if (discovery) {
      if (method !== "GET") throw methodNotAllowed();
      if (!authorizer.allowsNonResource(user, "get", p)) {
        throw new ApiError(403, "Forbidden", `forbidden: User "${user.username}" cannot get path "${p}"`);
      }
      if ((p === "/api" || p === "/apis") && wantsAggregated(req)) {
        return send(resp, 200, JSON.stringify(aggregatedDiscovery(p === "/api")), {
          "Content-Type": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
          Vary: "Accept",
        });
      }
      if (p === "/api") {
        return sendJson(resp, 200, {
          kind: "APIVersions",
          versions: ["v1"],
          serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: ctx.address() }],
        });
      }
      if (p === "/apis") {
        return sendJson(resp, 200, {
          kind: "APIGroupList",
          apiVersion: "v1",
          groups: registry.groups().map((g) => apiGroup(g.name, g.versions)),
        });
      }
      if (p === "/openapi/v2") {
        const accept = String(req.headers.accept ?? "");
        if (accept.includes("protobuf") && !/application\/json|\*\/\*/.test(accept)) {
          const pb = openapi.v2Protobuf();
          resp.writeHead(200, {
            "Content-Type": "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
            "Content-Length": String(pb.length),
          });
          resp.end(pb);
          return;
        }
        return send(resp, 200, openapi.v2());
      }
      if (p === "/openapi/v3") return send(resp, 200, openapi.v3Index());
      if (p.startsWith("/openapi/v3/")) {
        const doc = openapi.v3(p.slice("/openapi/v3/".length));
        if (!doc) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        return send(resp, 200, doc, {
          "Cache-Control": "public, immutable",
          Etag: `"${url.searchParams.get("hash") ?? ""}"`,
        });
      }
      let m = p.match(/^\/api\/([^/]+)$/);
      if (m) {
        if (m[1] !== "v1") throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        return sendJson(resp, 200, discoveryResources("", "v1"));
      }
      m = p.match(/^\/apis\/([^/]+)\/([^/]+)$/);
      if (m) {
        if (registry.resourcesIn(m[1], m[2]).length === 0)
          throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        return sendJson(resp, 200, discoveryResources(m[1], m[2]));
      }
      m = p.match(/^\/apis\/([^/]+)$/);
      if (m) {
        const g = registry.groups().find((x) => x.name === m![1]);
        if (!g) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        return sendJson(resp, 200, { kind: "APIGroup", apiVersion: "v1", ...apiGroup(g.name, g.versions) });
      }
    }

    const r = parseRoute(p);
    if (!r) {
      req.resume();
      throw new ApiError(404, "NotFound", "the server could not find the requested resource", {});
    }
    return handleResource(req, resp, r, url, user);
  }

  return {
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
      route(req, resp).catch((err) => {
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
      for (const finish of [...streams]) finish();
    },
  };
}
