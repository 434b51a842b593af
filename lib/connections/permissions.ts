import { Document, isScalar, visit } from "yaml";
import { RUNNER_RULES } from "@/lib/manifests/rbac";

/**
 * What the dashboard will do with a connection, as resource/verb pairs to ask the API server about
 * (SelfSubjectAccessReview), and the RBAC that grants what is missing.
 */
export type PermissionPurpose = "wizard" | "grant" | "monitor";

export interface PermissionRequirement {
  /** Stable id, also the catalog key of its description. */
  id: string;
  purpose: PermissionPurpose;
  group: string;
  resource: string;
  verbs: string[];
  /** Cluster-scoped resources are checked and granted cluster-wide. */
  clusterScoped?: boolean;
  /** Needed only for an optional wizard feature (own namespace, NAS cache, image cache). */
  optional?: boolean;
}

// The wizard applies with server-side apply (get + create/patch) and uninstalls with delete.
const APPLY_VERBS = ["get", "create", "patch", "delete"];

export const PERMISSION_REQUIREMENTS: PermissionRequirement[] = [
  {
    id: "namespaces",
    purpose: "wizard",
    group: "",
    resource: "namespaces",
    verbs: ["get", "create"],
    clusterScoped: true,
    optional: true,
  },
  { id: "serviceaccounts", purpose: "wizard", group: "", resource: "serviceaccounts", verbs: APPLY_VERBS },
  { id: "roles", purpose: "wizard", group: "rbac.authorization.k8s.io", resource: "roles", verbs: APPLY_VERBS },
  {
    id: "rolebindings",
    purpose: "wizard",
    group: "rbac.authorization.k8s.io",
    resource: "rolebindings",
    verbs: APPLY_VERBS,
  },
  { id: "configmaps", purpose: "wizard", group: "", resource: "configmaps", verbs: APPLY_VERBS },
  { id: "secrets", purpose: "wizard", group: "", resource: "secrets", verbs: APPLY_VERBS },
  {
    id: "persistentvolumeclaims",
    purpose: "wizard",
    group: "",
    resource: "persistentvolumeclaims",
    verbs: APPLY_VERBS,
    optional: true,
  },
  {
    id: "persistentvolumes",
    purpose: "wizard",
    group: "",
    resource: "persistentvolumes",
    verbs: APPLY_VERBS,
    clusterScoped: true,
    optional: true,
  },
  { id: "deployments", purpose: "wizard", group: "apps", resource: "deployments", verbs: APPLY_VERBS },
  {
    id: "imagecaches",
    purpose: "wizard",
    group: "eci.alibabacloud.com",
    resource: "imagecaches",
    verbs: APPLY_VERBS,
    clusterScoped: true,
    optional: true,
  },
  // RBAC refuses to create a Role granting permissions the creator does not hold (unless it may "escalate").
  ...RUNNER_RULES.map((rule) => ({
    id: `runner:${rule.resources[0]}`,
    purpose: "grant" as const,
    group: rule.apiGroups[0],
    resource: rule.resources[0],
    verbs: [...rule.verbs],
  })),
  { id: "pods", purpose: "monitor", group: "", resource: "pods", verbs: ["list", "watch", "delete"] },
  { id: "pods/log", purpose: "monitor", group: "", resource: "pods/log", verbs: ["get"] },
  { id: "events", purpose: "monitor", group: "", resource: "events", verbs: ["list", "watch"] },
  // Runner cards list the runner Deployments; the runner panel reads one with its ReplicaSets.
  {
    id: "runner-deployments",
    purpose: "monitor",
    group: "apps",
    resource: "deployments",
    verbs: ["get", "list"],
    optional: true,
  },
  { id: "replicasets", purpose: "monitor", group: "apps", resource: "replicasets", verbs: ["list"], optional: true },
];

export interface AccessQuestion {
  group: string;
  resource: string;
  subresource?: string;
  verb: string;
  namespace?: string;
}

/** The SelfSubjectAccessReview questions for every requirement, in the given namespace. */
export function accessQuestions(namespace: string, requirements = PERMISSION_REQUIREMENTS): AccessQuestion[] {
  return requirements.flatMap((requirement) => {
    const [resource, subresource] = requirement.resource.split("/");
    return requirement.verbs.map((verb) => ({
      group: requirement.group,
      resource,
      ...(subresource ? { subresource } : {}),
      verb,
      ...(requirement.clusterScoped ? {} : { namespace }),
    }));
  });
}

export function questionKey(question: AccessQuestion): string {
  const resource = question.subresource ? `${question.resource}/${question.subresource}` : question.resource;
  return `${question.verb} ${question.group}/${resource} ${question.namespace ?? "*"}`;
}

export type AccessAnswer = "allowed" | "denied" | "unknown";

export interface PermissionRow {
  id: string;
  purpose: PermissionPurpose;
  group: string;
  resource: string;
  clusterScoped: boolean;
  optional: boolean;
  allowed: string[];
  missing: string[];
  /** Verbs the server could not answer about (e.g. the review itself was refused). */
  unknown: string[];
}

export interface PermissionReport {
  namespace: string;
  /** The user the credentials authenticate as, when the server says (SelfSubjectReview). */
  username: string | null;
  rows: PermissionRow[];
  /** Can the escalate verb on roles stand in for missing "grant" rows? */
  canEscalate: boolean;
  /** Required (non-optional) permissions are all present. */
  wizardReady: boolean;
  monitorReady: boolean;
  /** RBAC manifests granting what is missing; null when nothing is. */
  rbacYaml: string | null;
}

/** Turns the answers to accessQuestions() into the report the form shows. */
export function buildPermissionReport(input: {
  namespace: string;
  username: string | null;
  answers: ReadonlyMap<string, AccessAnswer>;
  canEscalate: boolean;
  requirements?: PermissionRequirement[];
}): PermissionReport {
  const requirements = input.requirements ?? PERMISSION_REQUIREMENTS;
  const rows = requirements.map((requirement): PermissionRow => {
    const [resource, subresource] = requirement.resource.split("/");
    const row: PermissionRow = {
      id: requirement.id,
      purpose: requirement.purpose,
      group: requirement.group,
      resource: requirement.resource,
      clusterScoped: requirement.clusterScoped === true,
      optional: requirement.optional === true,
      allowed: [],
      missing: [],
      unknown: [],
    };
    for (const verb of requirement.verbs) {
      const key = questionKey({
        group: requirement.group,
        resource,
        ...(subresource ? { subresource } : {}),
        verb,
        ...(requirement.clusterScoped ? {} : { namespace: input.namespace }),
      });
      const answer = input.answers.get(key) ?? "unknown";
      row[answer === "allowed" ? "allowed" : answer === "denied" ? "missing" : "unknown"].push(verb);
    }
    return row;
  });
  const satisfied = (row: PermissionRow) =>
    row.optional ||
    (row.missing.length === 0 && row.unknown.length === 0) ||
    (row.purpose === "grant" && input.canEscalate);
  const missingRows = rows.filter((row) => row.missing.length > 0 && !(row.purpose === "grant" && input.canEscalate));
  return {
    namespace: input.namespace,
    username: input.username,
    rows,
    canEscalate: input.canEscalate,
    wizardReady: rows.filter((row) => row.purpose !== "monitor").every(satisfied),
    monitorReady: rows.filter((row) => row.purpose === "monitor").every(satisfied),
    rbacYaml: missingRows.length ? rbacYamlFor(missingRows, input.namespace, input.username) : null,
  };
}

const ROLE_NAME = "ask-ci-dashboard";

/** A Role (namespaced rows) and a ClusterRole (cluster-scoped rows) with bindings to the user. */
export function rbacYamlFor(rows: PermissionRow[], namespace: string, username: string | null): string {
  const subject = subjectFor(username);
  const rulesOf = (selected: PermissionRow[]) => {
    // One rule per resource, verbs merged when a resource appears in several rows.
    const merged = new Map<string, { apiGroups: string[]; resources: string[]; verbs: string[] }>();
    for (const row of selected) {
      const key = `${row.group}/${row.resource}`;
      const rule = merged.get(key) ?? { apiGroups: [row.group], resources: [row.resource], verbs: [] };
      for (const verb of row.missing) if (!rule.verbs.includes(verb)) rule.verbs.push(verb);
      merged.set(key, rule);
    }
    return [...merged.values()];
  };
  const documents: object[] = [];
  const namespaced = rows.filter((row) => !row.clusterScoped);
  const clusterWide = rows.filter((row) => row.clusterScoped);
  if (namespaced.length) {
    documents.push(
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name: ROLE_NAME, namespace },
        rules: rulesOf(namespaced),
      },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: ROLE_NAME, namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: ROLE_NAME },
        subjects: [subject],
      },
    );
  }
  if (clusterWide.length) {
    documents.push(
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: ROLE_NAME },
        rules: rulesOf(clusterWide),
      },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: ROLE_NAME },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: ROLE_NAME },
        subjects: [subject],
      },
    );
  }
  return documents.map(toYaml).join("---\n");
}

/** Lists of plain values in flow style (verbs: [get, create]), as RBAC is usually written. */
function toYaml(value: object): string {
  const document = new Document(value);
  visit(document, {
    Seq(_key, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return document.toString({ flowCollectionPadding: false });
}

function subjectFor(username: string | null): Record<string, string> {
  const serviceAccount = username?.match(/^system:serviceaccount:([^:]+):([^:]+)$/);
  if (serviceAccount) return { kind: "ServiceAccount", name: serviceAccount[2], namespace: serviceAccount[1] };
  return { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: username ?? "REPLACE-WITH-YOUR-USER" };
}
