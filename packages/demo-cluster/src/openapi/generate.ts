// Regenerates definitions.json: OpenAPI v3 component schemas (with field descriptions) for the
// kinds the demo cluster serves, derived from @kubernetes/client-node's generated models (which
// are generated from the Kubernetes OpenAPI spec). Run: npx tsx packages/demo-cluster/src/openapi/generate.ts
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { isSetList, listKeys } from "../merge";

const require = createRequire(import.meta.url);
const modelsDir = path.join(path.dirname(require.resolve("@kubernetes/client-node/package.json")), "dist/gen/models");

interface Attr {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

const META = new Set([
  "ObjectMeta",
  "ListMeta",
  "OwnerReference",
  "ManagedFieldsEntry",
  "LabelSelector",
  "LabelSelectorRequirement",
  "Status",
  "StatusDetails",
  "StatusCause",
  "Condition",
  "DeleteOptions",
  "Preconditions",
  "APIResource",
  "APIResourceList",
  "APIGroup",
  "APIGroupList",
  "APIVersions",
  "GroupVersionForDiscovery",
  "ServerAddressByClientCIDR",
  "WatchEvent",
]);

const GROUP_OF: Record<string, string> = {
  Deployment: "apps",
  DeploymentList: "apps",
  DeploymentSpec: "apps",
  DeploymentStatus: "apps",
  DeploymentStrategy: "apps",
  DeploymentCondition: "apps",
  RollingUpdateDeployment: "apps",
  ReplicaSet: "apps",
  ReplicaSetList: "apps",
  ReplicaSetSpec: "apps",
  ReplicaSetStatus: "apps",
  ReplicaSetCondition: "apps",
  Role: "rbac",
  RoleList: "rbac",
  RoleBinding: "rbac",
  RoleBindingList: "rbac",
  ClusterRole: "rbac",
  ClusterRoleList: "rbac",
  ClusterRoleBinding: "rbac",
  ClusterRoleBindingList: "rbac",
  PolicyRule: "rbac",
  RoleRef: "rbac",
  Subject: "rbac",
  AggregationRule: "rbac",
  Scale: "autoscaling",
  Lease: "coordination",
  LeaseList: "coordination",
  PodDisruptionBudget: "policy",
  PodDisruptionBudgetList: "policy",
  PodDisruptionBudgetSpec: "policy",
  PodDisruptionBudgetStatus: "policy",
  LeaseSpec: "coordination",
  ScaleSpec: "autoscaling",
  ScaleStatus: "autoscaling",
};

const TOP: Array<[string, string, string, string]> = [
  // [client-node class, group, version, kind]
  ["V1Namespace", "", "v1", "Namespace"],
  ["V1Pod", "", "v1", "Pod"],
  ["CoreV1Event", "", "v1", "Event"],
  ["V1ConfigMap", "", "v1", "ConfigMap"],
  ["V1Secret", "", "v1", "Secret"],
  ["V1ServiceAccount", "", "v1", "ServiceAccount"],
  ["V1PersistentVolume", "", "v1", "PersistentVolume"],
  ["V1PersistentVolumeClaim", "", "v1", "PersistentVolumeClaim"],
  ["V1Node", "", "v1", "Node"],
  ["EventsV1Event", "events.k8s.io", "v1", "Event"],
  ["V1Deployment", "apps", "v1", "Deployment"],
  ["V1ReplicaSet", "apps", "v1", "ReplicaSet"],
  ["V1Role", "rbac.authorization.k8s.io", "v1", "Role"],
  ["V1RoleBinding", "rbac.authorization.k8s.io", "v1", "RoleBinding"],
  ["V1ClusterRole", "rbac.authorization.k8s.io", "v1", "ClusterRole"],
  ["V1ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"],
  ["V1CustomResourceDefinition", "apiextensions.k8s.io", "v1", "CustomResourceDefinition"],
  ["V1SelfSubjectAccessReview", "authorization.k8s.io", "v1", "SelfSubjectAccessReview"],
  ["V1SelfSubjectRulesReview", "authorization.k8s.io", "v1", "SelfSubjectRulesReview"],
  ["V1Scale", "autoscaling", "v1", "Scale"],
  ["V1Lease", "coordination.k8s.io", "v1", "Lease"],
  ["V1PodDisruptionBudget", "policy", "v1", "PodDisruptionBudget"],
  ["V1Service", "", "v1", "Service"],
  ["V1SelfSubjectReview", "authentication.k8s.io", "v1", "SelfSubjectReview"],
  ["V1Status", "", "v1", "Status"],
];

const PREFIX_GROUP: Record<string, string> = {
  Core: "core",
  Events: "events",
  Rbac: "rbac",
  Apiextensions: "apiextensions",
  Admissionregistration: "admissionregistration",
  Apiregistration: "apiregistration",
  Authentication: "authentication",
  Discovery: "discovery",
  Flowcontrol: "flowcontrol",
  Storage: "storage",
  Resource: "resource",
};

function defName(cls: string): string {
  const m = cls.match(/^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/);
  if (!m) return cls;
  const [, prefix, version, name] = m;
  const v = version.toLowerCase();
  if (prefix && PREFIX_GROUP[prefix]) {
    const g = PREFIX_GROUP[prefix];
    if (g === "apiextensions") return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${v}.${name}`;
    return `io.k8s.api.${g}.${v}.${name}`;
  }
  if (META.has(name) && v === "v1") return `io.k8s.apimachinery.pkg.apis.meta.v1.${name}`;
  if (
    name.startsWith("CustomResource") ||
    name.startsWith("JSONSchemaProps") ||
    ["ExternalDocumentation", "ValidationRule", "SelectableField", "WebhookConversion"].includes(name)
  ) {
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${v}.${name}`;
  }
  if (name === "SelfSubjectReview" || name === "SelfSubjectReviewStatus" || name === "UserInfo")
    return `io.k8s.api.authentication.${v}.${name}`;
  if (
    name.startsWith("SelfSubject") ||
    [
      "ResourceAttributes",
      "NonResourceAttributes",
      "SubjectAccessReviewStatus",
      "ResourceRule",
      "NonResourceRule",
      "SubjectRulesReviewStatus",
      "FieldSelectorAttributes",
      "LabelSelectorAttributes",
    ].includes(name)
  ) {
    return `io.k8s.api.authorization.${v}.${name}`;
  }
  const g = GROUP_OF[name] ?? "core";
  return `io.k8s.api.${g}.${v}.${name}`;
}

function attrs(cls: string): Attr[] | undefined {
  const file = path.join(modelsDir, `${cls}.js`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const m = text.match(/\.attributeTypeMap = (\[[\s\S]*?\n\]);/);
  return m ? (JSON.parse(m[1]) as Attr[]) : [];
}

function unescape(s: string): string {
  return s.replace(/\\(['"\\])/g, "$1").trim();
}

function docs(cls: string): { description?: string; props: Map<string, { description?: string; required: boolean }> } {
  const text = readFileSync(path.join(modelsDir, `${cls}.d.ts`), "utf8");
  const props = new Map<string, { description?: string; required: boolean }>();
  const classDoc = text.match(/\/\*\*\n\* ([\s\S]*?)\n\*\/\nexport declare class/);
  const re = /(?:\/\*\*\n[ \t]*\* ((?:(?!\*\/)[\s\S])*?)\n[ \t]*\*\/\n)?[ \t]*'([^']+)'(\??): /g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)))
    props.set(m[2], { description: m[1] ? unescape(m[1]) : undefined, required: m[3] !== "?" });
  return { description: classDoc ? unescape(classDoc[1]) : undefined, props };
}

const schemas: Record<string, Record<string, unknown>> = {};
const queue: string[] = [];

function typeSchema(t: string, format: string): Record<string, unknown> {
  t = t.trim();
  let m: RegExpMatchArray | null;
  if ((m = t.match(/^Array<(.+)>$/)))
    return { type: "array", items: typeSchema(m[1], format === "byte" ? "" : format) };
  if ((m = t.match(/^\{ \[key: string\]: (.+); \}$/)))
    return { type: "object", additionalProperties: typeSchema(m[1], "") };
  switch (t) {
    case "string":
      return format === "byte" ? { type: "string", format: "byte" } : { type: "string" };
    case "Date":
      return { type: "string", format: "date-time" };
    case "boolean":
      return { type: "boolean" };
    case "number":
      return format === "int32" || format === "int64"
        ? { type: "integer", format }
        : { type: "number", format: format || "double" };
    case "IntOrString":
      return { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] };
    case "V1MicroTime":
      return { type: "string", format: "date-time" };
    case "any":
      return { "x-kubernetes-preserve-unknown-fields": true };
  }
  if (!schemas[defName(t)] && !queue.includes(t)) queue.push(t);
  return { $ref: `#/components/schemas/${defName(t)}` };
}

const FALLBACK_DOCS: Record<string, string> = {
  metadata:
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  spec: "Specification of the desired behavior. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
  status:
    "Most recently observed status. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
};

// Quantities are strings or numbers on the wire; client-node types them as strings.
const QUANTITY_MAPS = new Set(["limits", "requests", "capacity", "allocatable", "hard", "used", "allocatedResources"]);

function build(cls: string): void {
  const name = defName(cls);
  if (schemas[name]) return;
  const a = attrs(cls);
  if (!a) throw new Error(`no model ${cls}`);
  const d = docs(cls);
  const schema: Record<string, unknown> = { type: "object" };
  if (d.description) schema.description = d.description;
  schemas[name] = schema;
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const attr of a) {
    let s = typeSchema(attr.type, attr.format);
    if (QUANTITY_MAPS.has(attr.baseName) && attr.type === "{ [key: string]: string; }") {
      s = {
        type: "object",
        additionalProperties: { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity" },
      };
    }
    const keys = listKeys(
      attr.baseName,
      cls === "V1Container" || cls === "V1EphemeralContainer" ? "containers" : "spec",
    );
    if (keys && attr.type.startsWith("Array<V")) {
      s = {
        ...s,
        "x-kubernetes-patch-merge-key": keys[0],
        "x-kubernetes-patch-strategy": "merge",
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": keys,
      };
    } else if (isSetList(attr.baseName)) {
      s = { ...s, "x-kubernetes-patch-strategy": "merge", "x-kubernetes-list-type": "set" };
    }
    const pd = d.props.get(attr.name) ?? { required: false, description: FALLBACK_DOCS[attr.baseName] };
    if (!pd.description && FALLBACK_DOCS[attr.baseName]) pd.description = FALLBACK_DOCS[attr.baseName];
    if (pd?.description)
      s = s.$ref ? { allOf: [s], description: pd.description } : { ...s, description: pd.description };
    if (pd?.required) required.push(attr.baseName);
    properties[attr.baseName] = s;
  }
  schema.properties = properties;
  if (required.length) schema.required = required;
}

schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"] = {
  description:
    "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.",
  "x-kubernetes-int-or-string": true,
  anyOf: [{ type: "integer" }, { type: "string" }],
};

for (const [cls, group, version, kind] of TOP) {
  build(cls);
  const gvk = [{ group, version, kind }];
  schemas[defName(cls)]["x-kubernetes-group-version-kind"] = gvk;
  const listCls = cls.replace(/Event$/, "EventList").replace(/^(V1|CoreV1|EventsV1)(\w+?)(List)?$/, "$1$2List");
  if (attrs(listCls)) {
    build(listCls);
    schemas[defName(listCls)]["x-kubernetes-group-version-kind"] = [{ group, version, kind: `${kind}List` }];
  }
}
build("V1DeleteOptions");
build("V1APIResourceList");
build("V1APIGroupList");
build("V1APIVersions");
while (queue.length) build(queue.shift()!);

const files = readdirSync(modelsDir).length;
const out = path.join(path.dirname(new URL(import.meta.url).pathname), "definitions.json");
writeFileSync(
  out,
  JSON.stringify({ source: "@kubernetes/client-node models (Kubernetes OpenAPI v1.34)", schemas }) + "\n",
);
console.log(`wrote ${Object.keys(schemas).length} schemas from ${files} model files to ${out}`);
