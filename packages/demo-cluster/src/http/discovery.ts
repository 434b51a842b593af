/** Discovery (/api, /apis, legacy and aggregated) and OpenAPI v2/v3: what kubectl asks before anything else. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, methodNotAllowed } from "../errors";
import type { ResourceRegistry } from "../resources";
import type { UserInfo } from "../auth";
import type { HandlerContext } from "./context";
import { send, sendJson } from "./wire";

/** Streaming subresources of pods and the options kind discovery names for them (as kube-apiserver). */
const STREAM_OPTIONS: Record<string, string> = { exec: "PodExecOptions", attach: "PodAttachOptions" };

export function isDiscoveryPath(p: string): boolean {
  return (
    p === "/api" ||
    p === "/apis" ||
    p.startsWith("/openapi") ||
    /^\/api\/[^/]+$/.test(p) ||
    /^\/apis\/[^/]+(\/[^/]+)?$/.test(p)
  );
}

function discoveryResources(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> {
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
      } else if (STREAM_OPTIONS[sub]) {
        resources.push({
          name: `${r.plural}/${sub}`,
          singularName: "",
          namespaced: r.namespaced,
          kind: STREAM_OPTIONS[sub],
          verbs: ["create", "get"],
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
function aggregatedDiscovery(registry: ResourceRegistry, core: boolean): Record<string, unknown> {
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
                        : STREAM_OPTIONS[sr]
                          ? { group: "", version: "v1", kind: STREAM_OPTIONS[sr] }
                          : { group: r.group, version: r.version, kind: r.kind },
                  verbs: sr === "log" ? ["get"] : STREAM_OPTIONS[sr] ? ["create", "get"] : ["get", "patch", "update"],
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

const notFoundResource = () => new ApiError(404, "NotFound", "the server could not find the requested resource");

/** Answers a discovery or OpenAPI path (`isDiscoveryPath`); returns false when none matched. */
export function handleDiscovery(
  ctx: HandlerContext,
  req: IncomingMessage,
  resp: ServerResponse,
  p: string,
  url: URL,
  user: UserInfo,
): boolean {
  const { registry, openapi, authorizer } = ctx;
  if ((req.method ?? "GET") !== "GET") throw methodNotAllowed();
  if (!authorizer.allowsNonResource(user, "get", p)) {
    throw new ApiError(403, "Forbidden", `forbidden: User "${user.username}" cannot get path "${p}"`);
  }
  if ((p === "/api" || p === "/apis") && wantsAggregated(req)) {
    send(resp, 200, JSON.stringify(aggregatedDiscovery(registry, p === "/api")), {
      "Content-Type": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
      Vary: "Accept",
    });
    return true;
  }
  if (p === "/api") {
    sendJson(resp, 200, {
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: ctx.address() }],
    });
    return true;
  }
  if (p === "/apis") {
    sendJson(resp, 200, {
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: registry.groups().map((g) => apiGroup(g.name, g.versions)),
    });
    return true;
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
      return true;
    }
    send(resp, 200, openapi.v2());
    return true;
  }
  if (p === "/openapi/v3") {
    send(resp, 200, openapi.v3Index());
    return true;
  }
  if (p.startsWith("/openapi/v3/")) {
    const doc = openapi.v3(p.slice("/openapi/v3/".length));
    if (!doc) throw notFoundResource();
    send(resp, 200, doc, { "Cache-Control": "public, immutable", Etag: `"${url.searchParams.get("hash") ?? ""}"` });
    return true;
  }
  let m = p.match(/^\/api\/([^/]+)$/);
  if (m) {
    if (m[1] !== "v1") throw notFoundResource();
    sendJson(resp, 200, discoveryResources(registry, "", "v1"));
    return true;
  }
  m = p.match(/^\/apis\/([^/]+)\/([^/]+)$/);
  if (m) {
    if (registry.resourcesIn(m[1], m[2]).length === 0) throw notFoundResource();
    sendJson(resp, 200, discoveryResources(registry, m[1], m[2]));
    return true;
  }
  m = p.match(/^\/apis\/([^/]+)$/);
  if (m) {
    const name = m[1];
    const g = registry.groups().find((x) => x.name === name);
    if (!g) throw notFoundResource();
    sendJson(resp, 200, { kind: "APIGroup", apiVersion: "v1", ...apiGroup(g.name, g.versions) });
    return true;
  }
  return false;
}
