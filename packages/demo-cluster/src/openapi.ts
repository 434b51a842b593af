import { createHash } from "node:crypto";
import { isPlainObject } from "./merge";
import { type ResourceInfo, type ResourceRegistry } from "./resources";
import { crdSchema } from "./validation";
import type { KubeObject } from "./types";
import definitions from "./openapi/definitions.json";

// OpenAPI documents for discovery-driven clients: kubectl explain reads /openapi/v3/<gv>, kubectl
// apply/diff/edit look for the patch operation of a kind there (its strategic-merge content type
// and fieldValidation parameter decide client-side patch building and server-side validation).

type Schema = Record<string, unknown>;

let builtinSchemas: Record<string, Schema> | undefined;

function loadBuiltin(): Record<string, Schema> {
  if (!builtinSchemas) {
    builtinSchemas = { ...(definitions as unknown as { schemas: Record<string, Schema> }).schemas };
    builtinSchemas["io.k8s.apimachinery.pkg.apis.meta.v1.Patch"] = {
      type: "object",
      description: "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
    };
  }
  return builtinSchemas;
}

const REF_PREFIX = "#/components/schemas/";

function refName(node: unknown): string | undefined {
  if (!isPlainObject(node)) return undefined;
  if (typeof node.$ref === "string") return node.$ref.slice(REF_PREFIX.length);
  if (Array.isArray(node.allOf) && node.allOf.length === 1) return refName(node.allOf[0]);
  return undefined;
}

function gvkOf(schema: Schema): Array<{ group: string; version: string; kind: string }> {
  return (schema["x-kubernetes-group-version-kind"] as Array<{ group: string; version: string; kind: string }>) ?? [];
}

function builtinSchemaName(group: string, version: string, kind: string): string | undefined {
  const all = loadBuiltin();
  return Object.keys(all).find((n) =>
    gvkOf(all[n]).some((g) => g.group === group && g.version === version && g.kind === kind),
  );
}

function reverseDomain(group: string): string {
  return group.split(".").reverse().join(".");
}

function crSchemaName(r: ResourceInfo): string {
  return `${reverseDomain(r.group)}.${r.version}.${r.kind}`;
}

function crSchemas(r: ResourceInfo): Record<string, Schema> {
  const base = (crdSchema(r) ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true }) as Schema;
  const props = { ...((base.properties as Record<string, Schema> | undefined) ?? {}) };
  props.apiVersion = {
    type: "string",
    description:
      "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
  };
  props.kind = {
    type: "string",
    description:
      "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
  };
  props.metadata = {
    allOf: [{ $ref: `${REF_PREFIX}io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` }],
    description:
      "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  };
  const name = crSchemaName(r);
  return {
    [name]: {
      ...base,
      type: "object",
      properties: props,
      "x-kubernetes-group-version-kind": [{ group: r.group, version: r.version, kind: r.kind }],
    },
    [`${name}List`]: {
      type: "object",
      description: `${r.kind}List is a list of ${r.kind}`,
      required: ["items"],
      properties: {
        apiVersion: props.apiVersion,
        items: { type: "array", items: { $ref: `${REF_PREFIX}${name}` } },
        kind: props.kind,
        metadata: { allOf: [{ $ref: `${REF_PREFIX}io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta` }] },
      },
      "x-kubernetes-group-version-kind": [{ group: r.group, version: r.version, kind: r.listKind }],
    },
  };
}

function collectRefs(node: unknown, out: Set<string>, all: Record<string, Schema>): void {
  if (Array.isArray(node)) return node.forEach((n) => collectRefs(n, out, all));
  if (!isPlainObject(node)) return;
  if (typeof node.$ref === "string") {
    const n = node.$ref.slice(REF_PREFIX.length);
    if (!out.has(n) && all[n]) {
      out.add(n);
      collectRefs(all[n], out, all);
    }
  }
  for (const v of Object.values(node)) collectRefs(v, out, all);
}

function qp(name: string, type: string, description: string): Schema {
  return { name, in: "query", description, schema: { type, uniqueItems: true } };
}

const DRY_RUN = qp(
  "dryRun",
  "string",
  "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed",
);
const FIELD_MANAGER = qp(
  "fieldManager",
  "string",
  "fieldManager is a name associated with the actor or entity that is making these changes.",
);
const FIELD_VALIDATION = qp(
  "fieldValidation",
  "string",
  "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict",
);
const FORCE = qp(
  "force",
  "boolean",
  'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.',
);

function operationId(verb: string, r: ResourceInfo, namespaced: boolean, sub = ""): string {
  const group = r.group ? r.group.split(".")[0].replace(/^\w/, (c) => c.toUpperCase()) : "Core";
  const v = r.version.replace(/^\w/, (c) => c.toUpperCase());
  return `${verb}${group}${v}${namespaced ? "Namespaced" : ""}${r.kind}${sub}`;
}

function pathsFor(r: ResourceInfo, schemaName: string, isCustom: boolean): Record<string, Schema> {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const ref = { $ref: `${REF_PREFIX}${schemaName}` };
  const listRef = { $ref: `${REF_PREFIX}${schemaName}List` };
  const ok = (schema: Schema) => ({
    "200": { description: "OK", content: { "application/json": { schema }, "application/yaml": { schema } } },
  });
  const patchContent: Record<string, Schema> = {
    "application/apply-patch+yaml": { schema: { $ref: `${REF_PREFIX}io.k8s.apimachinery.pkg.apis.meta.v1.Patch` } },
    "application/json-patch+json": { schema: { $ref: `${REF_PREFIX}io.k8s.apimachinery.pkg.apis.meta.v1.Patch` } },
    "application/merge-patch+json": { schema: { $ref: `${REF_PREFIX}io.k8s.apimachinery.pkg.apis.meta.v1.Patch` } },
  };
  if (!isCustom)
    patchContent["application/strategic-merge-patch+json"] = {
      schema: { $ref: `${REF_PREFIX}io.k8s.apimachinery.pkg.apis.meta.v1.Patch` },
    };
  const ns = r.namespaced;
  const base = ns ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
  const pathParams = (withName: boolean): Schema[] => [
    ...(withName
      ? [
          {
            name: "name",
            in: "path",
            required: true,
            description: `name of the ${r.kind}`,
            schema: { type: "string", uniqueItems: true },
          },
        ]
      : []),
    ...(ns
      ? [
          {
            name: "namespace",
            in: "path",
            required: true,
            description: "object name and auth scope, such as for teams and projects",
            schema: { type: "string", uniqueItems: true },
          },
        ]
      : []),
  ];
  const op = (action: string, verb: string, extra: Schema = {}, sub = ""): Schema => ({
    operationId: operationId(verb, r, ns, sub),
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk,
    ...extra,
  });
  const paths: Record<string, Schema> = {};
  if (r.verbs.includes("create") && r.verbs.length === 1) {
    paths[base] = {
      parameters: pathParams(false),
      post: op("post", "create", {
        parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
        requestBody: { content: { "*/*": { schema: ref } }, required: true },
        responses: ok(ref),
      }),
    };
    return paths;
  }
  paths[base] = {
    parameters: pathParams(false),
    get: op("list", "list", { responses: ok(listRef) }),
    post: op("post", "create", {
      parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
      requestBody: { content: { "*/*": { schema: ref } }, required: true },
      responses: ok(ref),
    }),
  };
  const item = {
    parameters: pathParams(true),
    get: op("get", "read", { responses: ok(ref) }),
    put: op("put", "replace", {
      parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
      requestBody: { content: { "*/*": { schema: ref } }, required: true },
      responses: ok(ref),
    }),
    patch: op("patch", "patch", {
      parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE],
      requestBody: { content: patchContent, required: true },
      responses: ok(ref),
    }),
    delete: op("delete", "delete", {
      parameters: [
        DRY_RUN,
        qp("gracePeriodSeconds", "integer", "The duration in seconds before the object should be deleted."),
        qp("propagationPolicy", "string", "Whether and how garbage collection will be performed."),
      ],
      responses: ok(ref),
    }),
  };
  paths[`${base}/{name}`] = item;
  if (r.subresources.includes("status")) {
    paths[`${base}/{name}/status`] = {
      parameters: pathParams(true),
      get: op("get", "read", { responses: ok(ref) }, "Status"),
      put: op(
        "put",
        "replace",
        {
          parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
          requestBody: { content: { "*/*": { schema: ref } }, required: true },
          responses: ok(ref),
        },
        "Status",
      ),
      patch: op(
        "patch",
        "patch",
        {
          parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE],
          requestBody: { content: patchContent, required: true },
          responses: ok(ref),
        },
        "Status",
      ),
    };
  }
  if (ns)
    paths[`${prefix}/${r.plural}`] = {
      get: {
        ...op("list", "list", { responses: ok(listRef) }),
        operationId: operationId("list", r, false, "ForAllNamespaces"),
      },
    };
  return paths;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

export class OpenApi {
  private v3Cache = new Map<string, { doc: Schema; json: string; hash: string }>();
  private v2Cache?: string;

  constructor(private readonly registry: ResourceRegistry) {
    registry.onChange(() => {
      this.v3Cache.clear();
      this.v2Cache = undefined;
    });
  }

  private gvKeys(): string[] {
    const keys = new Set<string>();
    for (const r of this.registry.all()) keys.add(r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`);
    return [...keys];
  }

  private build(gvKey: string): { doc: Schema; json: string; hash: string } | undefined {
    const cached = this.v3Cache.get(gvKey);
    if (cached) return cached;
    const resources = this.registry
      .all()
      .filter((r) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`) === gvKey);
    if (resources.length === 0) return undefined;
    const all: Record<string, Schema> = { ...loadBuiltin() };
    const roots = new Set<string>([
      "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
      "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
      "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
    ]);
    const paths: Record<string, Schema> = {};
    for (const r of resources) {
      let name: string | undefined;
      if (r.crd) {
        Object.assign(all, crSchemas(r));
        name = crSchemaName(r);
      } else {
        name = builtinSchemaName(r.group, r.version, r.kind);
      }
      if (!name) continue;
      roots.add(name);
      if (all[`${name}List`]) roots.add(`${name}List`);
      Object.assign(paths, pathsFor(r, name, Boolean(r.crd)));
    }
    const names = new Set<string>();
    for (const n of roots) {
      names.add(n);
      collectRefs(all[n], names, all);
    }
    const schemas: Record<string, Schema> = {};
    for (const n of [...names].sort()) if (all[n]) schemas[n] = all[n];
    const doc = {
      openapi: "3.0.0",
      info: { title: "Kubernetes", version: "v1.32.1-aliyun.1" },
      paths,
      components: { schemas },
    };
    const json = JSON.stringify(doc);
    const entry = { doc, json, hash: createHash("sha512").update(json).digest("hex").slice(0, 128).toUpperCase() };
    this.v3Cache.set(gvKey, entry);
    return entry;
  }

  v3Index(): string {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const k of this.gvKeys()) {
      const e = this.build(k);
      if (e) paths[k] = { serverRelativeURL: `/openapi/v3/${k}?hash=${e.hash}` };
    }
    return JSON.stringify({ paths });
  }

  v3(gvKey: string): string | undefined {
    return this.build(gvKey)?.json;
  }

  /** Swagger 2.0 form of all group-versions (served as JSON only). */
  v2(): string {
    if (this.v2Cache) return this.v2Cache;
    const definitions: Record<string, unknown> = {};
    const paths: Record<string, unknown> = {};
    for (const k of this.gvKeys()) {
      const e = this.build(k);
      if (!e) continue;
      Object.assign(definitions, (e.doc.components as { schemas: Record<string, unknown> }).schemas);
      Object.assign(paths, e.doc.paths);
    }
    const text = JSON.stringify({
      swagger: "2.0",
      info: { title: "Kubernetes", version: "v1.32.1-aliyun.1" },
      paths,
      definitions,
    }).replaceAll('"#/components/schemas/', '"#/definitions/');
    this.v2Cache = text;
    return text;
  }

  /**
   * The protobuf (gnostic openapi_v2.Document) form kubectl asks /openapi/v2 for: only swagger,
   * info and empty paths. kubectl reads v3 first for explain, patching and validation; it falls
   * back to v2 for kinds v3 does not know, where an empty document means "no schema, no
   * server-side field validation", as for an unknown kind on a real server.
   */
  v2Protobuf(): Buffer {
    const field = (no: number, payload: Buffer) =>
      Buffer.concat([Buffer.from([(no << 3) | 2]), varint(payload.length), payload]);
    const str = (no: number, v: string) => field(no, Buffer.from(v, "utf8"));
    const info = Buffer.concat([str(1, "Kubernetes"), str(2, "v1.32.1-aliyun.1")]);
    return Buffer.concat([str(1, "2.0"), field(2, info), field(8, Buffer.alloc(0))]);
  }

  /**
   * Fields of a built-in object that its schema does not declare, as "spec.containers[0].foo";
   * with `prune` they are removed, as decoding into the Go types drops them.
   */
  unknownFields(res: ResourceInfo, obj: KubeObject, prune = false): string[] {
    const storageRes = this.registry.byStorage(res.storageKey) ?? res;
    const name = builtinSchemaName(storageRes.group, storageRes.version, storageRes.kind);
    if (!name) return [];
    const all = loadBuiltin();
    const out: string[] = [];
    const visit = (schema: Schema | undefined, v: unknown, p: string): void => {
      if (!schema) return;
      const r = refName(schema);
      if (r) return visit(all[r], v, p);
      if (schema["x-kubernetes-preserve-unknown-fields"] || schema["x-kubernetes-int-or-string"]) return;
      if (Array.isArray(v)) {
        if (schema.items) v.forEach((x, i) => visit(schema.items as Schema, x, `${p}[${i}]`));
        return;
      }
      if (!isPlainObject(v)) return;
      const props = schema.properties as Record<string, Schema> | undefined;
      const addl = schema.additionalProperties as Schema | undefined;
      for (const [k, x] of Object.entries(v)) {
        const child = props?.[k];
        const cp = p ? `${p}.${k}` : k;
        if (child) visit(child, x, cp);
        else if (addl) visit(addl, x, cp);
        else if (props) {
          out.push(cp);
          if (prune) delete v[k];
        }
      }
    };
    visit(all[name], obj, "");
    return out;
  }
}
