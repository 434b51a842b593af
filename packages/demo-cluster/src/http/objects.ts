/** Objects and lists as served: cached JSON, Tables for kubectl, selectors from the query. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { toView } from "../convert";
import { cachedJson } from "../json-cache";
import { apiVersionOf, type ResourceInfo } from "../resources";
import { parseFieldSelector, parseLabelSelector } from "../selectors";
import { toTable, type IncludeObject } from "../tables";
import type { KubeObject } from "../types";
import { q } from "./query";
import { acceptsTable, sendJson } from "./wire";

/** Serializes a stored object as served for `res`, once per object and version. */
export function objectJson(res: ResourceInfo, obj: KubeObject): string {
  return cachedJson(obj, apiVersionOf(res), () => toView(res, obj));
}

export function listJson(res: ResourceInfo, items: KubeObject[], meta: Record<string, unknown>): string {
  const head = `{"kind":${JSON.stringify(res.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(res))},"metadata":${JSON.stringify(meta)},"items":[`;
  return head + items.map((o) => objectJson(res, o)).join(",") + "]}";
}

export function includeObject(url: URL): IncludeObject {
  return (q(url, "includeObject") as IncludeObject | undefined) ?? "Metadata";
}

export function respondObject(
  req: IncomingMessage,
  resp: ServerResponse,
  res: ResourceInfo,
  obj: KubeObject,
  code: number,
  url: URL,
  now: number,
  warnings: string[] = [],
): void {
  if (acceptsTable(req) && code === 200 && req.method === "GET") {
    sendJson(
      resp,
      code,
      toTable(res, [toView(res, obj)], { resourceVersion: obj.metadata.resourceVersion }, now, includeObject(url)),
    );
    return;
  }
  sendJson(resp, code, objectJson(res, obj), warnings);
}

export function selectorQuery(url: URL, res: ResourceInfo) {
  return {
    label: parseLabelSelector(q(url, "labelSelector")),
    field: parseFieldSelector(q(url, "fieldSelector"), res.kind),
  };
}
