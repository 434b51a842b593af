/** get, list, create, update, patch, delete and deletecollection of stored objects. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { toView } from "../convert";
import { ApiError, badRequest, methodNotAllowed, notFound } from "../errors";
import { apiVersionOf, type ResourceInfo } from "../resources";
import { toTable } from "../tables";
import type { KubeObject } from "../types";
import type { HandlerContext } from "./context";
import { includeObject, listJson, objectJson, respondObject, selectorQuery } from "./objects";
import { deleteOptions, intParam, q, writeOptions } from "./query";
import type { Route } from "./route";
import {
  acceptsTable,
  decodeObject,
  mediaType,
  parseJson,
  parseYaml,
  PATCH_TYPES,
  readBody,
  sendJson,
  unsupportedMedia,
} from "./wire";

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

function checkNamespace(res: ResourceInfo, route: Route, body: Record<string, unknown>): void {
  const meta = (body.metadata ?? {}) as { namespace?: string };
  if (res.namespaced && meta.namespace && meta.namespace !== route.namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
}

const invalidPatchOptions = (field: string, type: string, message: string) =>
  new ApiError(422, "Invalid", `PatchOptions.meta.k8s.io "" is invalid: ${field}: ${message}`, {
    group: "meta.k8s.io",
    kind: "PatchOptions",
    causes: [{ type, message, field }],
  });

export async function handleObjectVerb(
  ctx: HandlerContext,
  req: IncomingMessage,
  resp: ServerResponse,
  route: Route,
  url: URL,
  verb: string,
): Promise<void> {
  const { store } = ctx;
  const { res } = route;
  const sub = route.subresource;
  const now = ctx.clock.now();
  switch (verb) {
    case "get": {
      const obj = store.getRaw(res, route.namespace, route.name!);
      if (!obj) throw notFound(res.plural, res.group, route.name!);
      return respondObject(req, resp, res, obj, 200, url, now);
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
        const views = result.items.map((o) => toView(res, o));
        return sendJson(resp, 200, toTable(res, views, meta, now, includeObject(url)));
      }
      return sendJson(resp, 200, listJson(res, result.items, meta));
    }
    case "create": {
      if (route.name || sub) throw methodNotAllowed();
      const body = decodeObject(req, await readBody(req, ctx.maxBody));
      checkKind(res, body);
      checkNamespace(res, route, body);
      const opts = writeOptions(url, req);
      const created = store.createIn(res, route.namespace, body as KubeObject, opts);
      return respondObject(req, resp, res, created, 201, url, now, opts.warnings);
    }
    case "update": {
      const body = decodeObject(req, await readBody(req, ctx.maxBody));
      checkKind(res, body);
      const meta = (body.metadata ?? {}) as { name?: string };
      if (meta.name !== route.name)
        throw badRequest(
          `the name of the object (${meta.name ?? ""}) does not match the name on the URL (${route.name})`,
        );
      checkNamespace(res, route, body);
      const opts = { ...writeOptions(url, req), subresource: sub };
      const updated = store.updateIn(res, route.namespace, route.name, body as KubeObject, opts);
      return respondObject(req, resp, res, updated, 200, url, now, opts.warnings);
    }
    case "patch": {
      const type = PATCH_TYPES[mediaType(req)];
      if (!type) {
        throw unsupportedMedia(
          "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json",
        );
      }
      const buf = await readBody(req, ctx.maxBody);
      const patch = type === "apply" ? parseYaml(buf) : parseJson(buf, "");
      const opts = { ...writeOptions(url, req), subresource: sub };
      if (type === "apply" && !q(url, "fieldManager")) {
        throw invalidPatchOptions("fieldManager", "FieldValueRequired", "Required value: is required for apply patch");
      }
      if (type !== "apply" && q(url, "force")) {
        throw invalidPatchOptions(
          "force",
          "FieldValueForbidden",
          "Forbidden: may not be specified for non-apply patch",
        );
      }
      const before = store.getRaw(res, route.namespace, route.name!);
      const patched = store.patchIn(res, route.namespace, route.name!, type, patch, opts);
      return respondObject(req, resp, res, patched, type === "apply" && !before ? 201 : 200, url, now, opts.warnings);
    }
    case "delete": {
      if (sub) throw methodNotAllowed();
      const opts = await deleteOptions(req, url, ctx.maxBody);
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
      const opts = await deleteOptions(req, url, ctx.maxBody);
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
