import { ApiError, invalid, type StatusCause } from "./errors";
import { isPlainObject } from "./merge";
import type { ResourceInfo } from "./resources";
import type { KubeObject } from "./types";

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

function req(field: string): StatusCause {
  return { type: "FieldValueRequired", message: "Required value", field };
}

function bad(field: string, value: unknown, detail: string): StatusCause {
  return { type: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field };
}

/** Kinds whose names must be DNS-1123 labels rather than subdomains. */
const LABEL_NAMED = new Set(["Namespace"]);

function validateMeta(res: ResourceInfo, obj: KubeObject, causes: StatusCause[]): void {
  const name = obj.metadata?.name;
  if (!name) {
    causes.push({
      type: "FieldValueRequired",
      message: "Required value: name or generateName is required",
      field: "metadata.name",
    });
  } else if (LABEL_NAMED.has(res.kind)) {
    if (!DNS1123_LABEL.test(name) || name.length > 63) causes.push(bad("metadata.name", name, LABEL_MSG));
  } else if (res.group === "rbac.authorization.k8s.io") {
    if (name.includes("/") || name.includes("%") || name === "." || name === "..")
      causes.push(bad("metadata.name", name, "may not contain '/' or '%'"));
  } else if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    causes.push(bad("metadata.name", name, SUBDOMAIN_MSG));
  }
  for (const [field, map] of [
    ["metadata.labels", obj.metadata.labels],
    ["metadata.annotations", obj.metadata.annotations],
  ] as const) {
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map)) {
      causes.push(bad(field, map, "must be a map of string to string"));
      continue;
    }
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== "string") causes.push(bad(`${field}`, v, `value of ${k} must be a string`));
      if (
        field === "metadata.labels" &&
        typeof v === "string" &&
        (v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v))
      ) {
        causes.push(
          bad(
            field,
            v,
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
          ),
        );
      }
    }
  }
}

function validateContainers(list: unknown, field: string, causes: StatusCause[], required: boolean): void {
  if (!Array.isArray(list) || list.length === 0) {
    if (required) causes.push(req(field));
    return;
  }
  const seen = new Set<string>();
  list.forEach((c, i) => {
    const f = `${field}[${i}]`;
    if (!isPlainObject(c)) return void causes.push(bad(f, c, "must be an object"));
    if (!c.name) causes.push(req(`${f}.name`));
    else if (typeof c.name !== "string" || !DNS1123_LABEL.test(c.name))
      causes.push(bad(`${f}.name`, c.name, LABEL_MSG));
    else if (seen.has(c.name))
      causes.push({
        type: "FieldValueDuplicate",
        message: `Duplicate value: ${JSON.stringify(c.name)}`,
        field: `${f}.name`,
      });
    else seen.add(c.name);
    if (!c.image) causes.push(req(`${f}.image`));
  });
}

function validatePodSpec(spec: unknown, prefix: string, causes: StatusCause[]): void {
  if (!isPlainObject(spec)) return void causes.push(req(prefix));
  validateContainers(spec.containers, `${prefix}.containers`, causes, true);
  validateContainers(spec.initContainers, `${prefix}.initContainers`, causes, false);
  const rp = spec.restartPolicy;
  if (rp !== undefined && !["Always", "OnFailure", "Never"].includes(String(rp))) {
    causes.push({
      type: "FieldValueNotSupported",
      message: `Unsupported value: ${JSON.stringify(rp)}: supported values: "Always", "OnFailure", "Never"`,
      field: `${prefix}.restartPolicy`,
    });
  }
}

/** Built-in validation the way the kinds' REST strategies do it; throws 422 Invalid. */
export function validateObject(res: ResourceInfo, obj: KubeObject, old?: KubeObject): void {
  const causes: StatusCause[] = [];
  validateMeta(res, obj, causes);
  const o = obj as Record<string, unknown>;
  switch (`${res.group}/${res.kind}`) {
    case "/Pod":
      validatePodSpec(o.spec, "spec", causes);
      if (old) {
        const oldSpec = (old as Record<string, unknown>).spec as Record<string, unknown> | undefined;
        const newSpec = o.spec as Record<string, unknown> | undefined;
        const oldNode = oldSpec?.nodeName;
        if (oldNode && newSpec?.nodeName !== oldNode) {
          causes.push({
            type: "FieldValueForbidden",
            message:
              "Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations), `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
            field: "spec",
          });
        }
      }
      break;
    case "apps/Deployment":
    case "apps/ReplicaSet": {
      const spec = o.spec as Record<string, unknown> | undefined;
      const selector = spec?.selector as { matchLabels?: Record<string, string> } | undefined;
      if (!selector || (!selector.matchLabels && !(selector as Record<string, unknown>).matchExpressions)) {
        causes.push(req("spec.selector"));
      }
      const tpl = spec?.template as { metadata?: { labels?: Record<string, string> }; spec?: unknown } | undefined;
      if (!tpl) causes.push(req("spec.template"));
      else {
        const labels = tpl.metadata?.labels ?? {};
        for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) {
          if (labels[k] !== v) {
            causes.push(bad("spec.template.metadata.labels", labels, "`selector` does not match template `labels`"));
            break;
          }
        }
        validatePodSpec(tpl.spec, "spec.template.spec", causes);
      }
      if (spec && typeof spec.replicas === "number" && spec.replicas < 0) {
        causes.push(bad("spec.replicas", spec.replicas, "must be greater than or equal to 0"));
      }
      break;
    }
    case "/ConfigMap":
    case "/Secret":
      for (const f of ["data", "binaryData"]) {
        const d = o[f];
        if (d !== undefined && d !== null && !isPlainObject(d)) causes.push(bad(f, d, "must be a map"));
      }
      break;
    case "rbac.authorization.k8s.io/RoleBinding":
    case "rbac.authorization.k8s.io/ClusterRoleBinding": {
      const ref = o.roleRef as Record<string, unknown> | undefined;
      if (!ref) causes.push(req("roleRef"));
      else {
        if (!ref.name) causes.push(req("roleRef.name"));
        if (!["Role", "ClusterRole"].includes(String(ref.kind))) {
          causes.push({
            type: "FieldValueNotSupported",
            message: `Unsupported value: ${JSON.stringify(ref.kind)}: supported values: "Role", "ClusterRole"`,
            field: "roleRef.kind",
          });
        }
      }
      if (old) {
        const oldRef = (old as Record<string, unknown>).roleRef;
        if (JSON.stringify(oldRef) !== JSON.stringify(ref)) {
          causes.push({
            type: "FieldValueInvalid",
            message: `Invalid value: ${JSON.stringify(ref)}: cannot change roleRef`,
            field: "roleRef",
          });
        }
      }
      break;
    }
    case "apiextensions.k8s.io/CustomResourceDefinition": {
      const spec = o.spec as Record<string, unknown> | undefined;
      const names = spec?.names as Record<string, unknown> | undefined;
      if (!spec?.group) causes.push(req("spec.group"));
      if (!names?.plural) causes.push(req("spec.names.plural"));
      if (!names?.kind) causes.push(req("spec.names.kind"));
      if (!Array.isArray(spec?.versions) || spec.versions.length === 0) causes.push(req("spec.versions"));
      if (!["Namespaced", "Cluster"].includes(String(spec?.scope))) {
        causes.push({
          type: "FieldValueNotSupported",
          message: `Unsupported value: ${JSON.stringify(spec?.scope ?? "")}: supported values: "Cluster", "Namespaced"`,
          field: "spec.scope",
        });
      }
      if (spec?.group && names?.plural && obj.metadata.name !== `${names.plural}.${spec.group}`) {
        causes.push(bad("metadata.name", obj.metadata.name, `must be spec.names.plural+"."+spec.group`));
      }
      break;
    }
  }
  if (res.crd) validateCustomResource(res, obj, causes);
  if (causes.length) throw invalid(res.kind, res.group, obj.metadata?.name ?? "", causes);
}

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
};

export function crdSchema(res: ResourceInfo): Schema | undefined {
  const versions = (res.crd?.spec as { versions?: Array<{ name: string; schema?: { openAPIV3Schema?: Schema } }> })
    ?.versions;
  return versions?.find((v) => v.name === res.version)?.schema?.openAPIV3Schema;
}

function typeOk(type: string | undefined, v: unknown, s: Schema): boolean {
  if (s["x-kubernetes-int-or-string"]) return typeof v === "string" || Number.isInteger(v);
  switch (type) {
    case "object":
      return isPlainObject(v);
    case "array":
      return Array.isArray(v);
    case "string":
      return typeof v === "string";
    case "integer":
      return Number.isInteger(v);
    case "number":
      return typeof v === "number";
    case "boolean":
      return typeof v === "boolean";
    default:
      return true;
  }
}

function walkSchema(s: Schema, v: unknown, path: string, causes: StatusCause[]): void {
  if (v === null || v === undefined) return;
  if (!typeOk(s.type, v, s)) {
    causes.push({
      type: "FieldValueTypeInvalid",
      message: `Invalid value: "${Array.isArray(v) ? "array" : typeof v === "object" ? "object" : typeof v}": ${path} in body must be of type ${s.type}: ${JSON.stringify(typeof v === "object" ? (Array.isArray(v) ? "array" : "object") : v)}`,
      field: path,
    });
    return;
  }
  if (s.enum && !s.enum.some((e) => e === v)) {
    causes.push({
      type: "FieldValueNotSupported",
      message: `Unsupported value: ${JSON.stringify(v)}: supported values: ${s.enum.map((e) => JSON.stringify(e)).join(", ")}`,
      field: path,
    });
  }
  if (typeof v === "number") {
    if (s.minimum !== undefined && v < s.minimum)
      causes.push(bad(path, v, `${path} in body should be greater than or equal to ${s.minimum}`));
    if (s.maximum !== undefined && v > s.maximum)
      causes.push(bad(path, v, `${path} in body should be less than or equal to ${s.maximum}`));
  }
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems)
      causes.push(bad(path, v.length, `${path} in body should have at least ${s.minItems} items`));
    if (s.maxItems !== undefined && v.length > s.maxItems)
      causes.push(bad(path, v.length, `${path} in body should have at most ${s.maxItems} items`));
    if (s.items) v.forEach((x, i) => walkSchema(s.items!, x, `${path}[${i}]`, causes));
  }
  if (isPlainObject(v)) {
    for (const r of s.required ?? []) if (v[r] === undefined) causes.push(req(path ? `${path}.${r}` : r));
    for (const [k, x] of Object.entries(v)) {
      const child =
        s.properties?.[k] ?? (typeof s.additionalProperties === "object" ? s.additionalProperties : undefined);
      if (child) walkSchema(child, x, path ? `${path}.${k}` : k, causes);
    }
  }
}

function validateCustomResource(res: ResourceInfo, obj: KubeObject, causes: StatusCause[]): void {
  const schema = crdSchema(res);
  if (!schema) return;
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = obj;
  void _m;
  void _a;
  void _k;
  walkSchema(
    {
      ...schema,
      properties: { ...schema.properties },
      required: (schema.required ?? []).filter((r) => !["metadata", "apiVersion", "kind"].includes(r)),
    },
    rest,
    "",
    causes,
  );
}

/**
 * Unknown fields of a custom resource relative to its schema (what pruning drops); with `prune`
 * they are removed from `obj` as they are found.
 */
export function unknownCustomFields(res: ResourceInfo, obj: KubeObject, prune = false): string[] {
  const schema = crdSchema(res);
  if (!schema) return [];
  const out: string[] = [];
  const visit = (s: Schema | undefined, v: unknown, path: string): void => {
    if (!s || s["x-kubernetes-preserve-unknown-fields"]) return;
    if (Array.isArray(v)) return void v.forEach((x, i) => visit(s.items, x, `${path}[${i}]`));
    if (!isPlainObject(v)) return;
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (!path && ["apiVersion", "kind", "metadata"].includes(k)) continue;
      const child =
        s.properties?.[k] ?? (isPlainObject(s.additionalProperties) ? (s.additionalProperties as Schema) : undefined);
      if (child) visit(child, x, p);
      else if (s.additionalProperties !== true) {
        out.push(p);
        if (prune) delete v[k];
      }
    }
  };
  visit(schema, obj, "");
  return out;
}

export function strictDecodingError(res: ResourceInfo, fields: string[]): ApiError {
  const apiVersion = res.group ? `${res.group}/${res.version}` : res.version;
  return new ApiError(
    400,
    "BadRequest",
    `${res.kind} in version "${apiVersion}" cannot be handled as a ${res.kind}: strict decoding error: ${fields.map((f) => `unknown field "${f}"`).join(", ")}`,
  );
}
