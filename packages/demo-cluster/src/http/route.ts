/** Which resource a request path names, and the verb its method means (as kube-apiserver's RequestInfo). */
import { badRequest, methodNotAllowed } from "../errors";
import { isReviewKind, type ResourceInfo, type ResourceRegistry } from "../resources";
import { boolParam } from "./query";

export interface Route {
  res: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPath: boolean;
}

export function parseRoute(registry: ResourceRegistry, pathname: string): Route | undefined {
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

export function verbOf(method: string, route: Route, url: URL): string {
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
