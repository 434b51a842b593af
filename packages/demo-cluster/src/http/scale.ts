/** The `scale` subresource (autoscaling/v1 Scale) of Deployments and ReplicaSets: `kubectl scale`. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { toView } from "../convert";
import { ApiError, methodNotAllowed, notFound } from "../errors";
import { deepClone, jsonMergePatch, jsonPatch, strategicMergePatch } from "../merge";
import type { KubeObject } from "../types";
import type { HandlerContext } from "./context";
import { writeOptions } from "./query";
import type { Route } from "./route";
import { decodeObject, mediaType, parseJson, PATCH_TYPES, readBody, sendJson, unsupportedMedia } from "./wire";

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

export async function handleScale(
  ctx: HandlerContext,
  req: IncomingMessage,
  resp: ServerResponse,
  route: Route,
  url: URL,
  verb: string,
): Promise<void> {
  const { store } = ctx;
  const { res } = route;
  const existing = store.getRaw(res, route.namespace, route.name!);
  if (!existing) throw notFound(res.plural, res.group, route.name!);
  if (verb === "get") return sendJson(resp, 200, scaleOf(existing));
  if (verb !== "update" && verb !== "patch") throw methodNotAllowed();
  const buf = await readBody(req, ctx.maxBody);
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
