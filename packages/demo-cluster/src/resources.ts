import type { KubeObject } from "./types";

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** "status", "log", "scale" */
  subresources: string[];
  /** One storage per group/kind, shared by all versions (core Event and events.k8s.io Event share too). */
  storageKey: string;
  /** Kinds with a status subresource: writes to the main resource leave .status alone and bump generation on spec changes. */
  hasStatus: boolean;
  /** Set for custom resources; its spec drives validation and table columns. */
  crd?: KubeObject;
  printerColumns?: PrinterColumn[];
}

export const STANDARD_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export function apiVersionOf(r: Pick<ResourceInfo, "group" | "version">): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf("/");
  return i < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function builtin(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceInfo> = {},
): ResourceInfo {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: [],
    categories: [],
    verbs: STANDARD_VERBS,
    subresources: [],
    storageKey: `${group}/${kind}`,
    hasStatus: false,
    ...extra,
  };
}

export const BUILTIN_RESOURCES: ResourceInfo[] = [
  builtin("", "v1", "Namespace", "namespaces", false, {
    shortNames: ["ns"],
    subresources: ["status", "finalize"],
    hasStatus: true,
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
  }),
  builtin("", "v1", "Pod", "pods", true, {
    shortNames: ["po"],
    categories: ["all"],
    subresources: ["status", "log", "exec", "attach"],
    hasStatus: true,
  }),
  builtin("", "v1", "Event", "events", true, { shortNames: ["ev"] }),
  builtin("", "v1", "ConfigMap", "configmaps", true, { shortNames: ["cm"] }),
  builtin("", "v1", "Secret", "secrets", true),
  builtin("", "v1", "ServiceAccount", "serviceaccounts", true, { shortNames: ["sa"] }),
  builtin("", "v1", "Service", "services", true, {
    shortNames: ["svc"],
    categories: ["all"],
    subresources: ["status"],
    hasStatus: true,
    verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
  }),
  builtin("", "v1", "PersistentVolume", "persistentvolumes", false, {
    shortNames: ["pv"],
    subresources: ["status"],
    hasStatus: true,
  }),
  builtin("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, {
    shortNames: ["pvc"],
    subresources: ["status"],
    hasStatus: true,
  }),
  builtin("", "v1", "Node", "nodes", false, { shortNames: ["no"], subresources: ["status"], hasStatus: true }),
  builtin("events.k8s.io", "v1", "Event", "events", true, { shortNames: ["ev"], storageKey: "/Event" }),
  builtin("coordination.k8s.io", "v1", "Lease", "leases", true),
  // Served so that manifests with one apply (ask-ci's own deploy/); no disruption controller computes its status.
  builtin("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, {
    shortNames: ["pdb"],
    subresources: ["status"],
    hasStatus: true,
  }),
  builtin("apps", "v1", "Deployment", "deployments", true, {
    shortNames: ["deploy"],
    categories: ["all"],
    subresources: ["status", "scale"],
    hasStatus: true,
  }),
  builtin("apps", "v1", "ReplicaSet", "replicasets", true, {
    shortNames: ["rs"],
    categories: ["all"],
    subresources: ["status", "scale"],
    hasStatus: true,
  }),
  builtin("rbac.authorization.k8s.io", "v1", "Role", "roles", true),
  builtin("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true),
  builtin("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
  builtin("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false),
  builtin("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, {
    shortNames: ["crd", "crds"],
    subresources: ["status"],
    hasStatus: true,
  }),
  builtin("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false, {
    verbs: ["create"],
  }),
  builtin("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", false, {
    verbs: ["create"],
  }),
  builtin("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", false, { verbs: ["create"] }),
];

/** Kinds that are only "created" to get an answer; nothing is stored. */
export function isReviewKind(r: ResourceInfo): boolean {
  return r.group === "authorization.k8s.io" || r.group === "authentication.k8s.io";
}

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: unknown; scale?: unknown };
  additionalPrinterColumns?: PrinterColumn[];
}

interface CrdSpec {
  group: string;
  scope: "Namespaced" | "Cluster";
  names: {
    kind: string;
    listKind?: string;
    plural: string;
    singular?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions: CrdVersion[];
}

/** All served resources; custom resources come and go with their CRDs. */
export class ResourceRegistry {
  private resources: ResourceInfo[] = [...BUILTIN_RESOURCES];
  private byPath = new Map<string, ResourceInfo>();
  private byKind = new Map<string, ResourceInfo>();
  private byStorageKey = new Map<string, ResourceInfo>();
  private changeListeners = new Set<() => void>();

  constructor() {
    this.reindex();
  }

  private reindex(): void {
    this.byPath.clear();
    this.byKind.clear();
    this.byStorageKey.clear();
    for (const r of this.resources) {
      if (!this.byStorageKey.has(r.storageKey)) this.byStorageKey.set(r.storageKey, r);
      this.byPath.set(`${r.group}/${r.version}/${r.plural}`, r);
      this.byKind.set(`${apiVersionOf(r)}/${r.kind}`, r);
    }
    for (const l of this.changeListeners) l();
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** The first registered resource of a storage (core v1 for Events). */
  byStorage(storageKey: string): ResourceInfo | undefined {
    return this.byStorageKey.get(storageKey);
  }

  all(): ResourceInfo[] {
    return this.resources;
  }

  byResource(group: string, version: string, plural: string): ResourceInfo | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  forKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** Any served version of the group/kind (to find storage when a caller uses another version). */
  forGroupKind(group: string, kind: string): ResourceInfo | undefined {
    return this.resources.find((r) => r.group === group && r.kind === kind);
  }

  /** Groups in discovery order with their versions (preferred first). */
  groups(): Array<{ name: string; versions: string[] }> {
    const out = new Map<string, string[]>();
    for (const r of this.resources) {
      if (!r.group) continue;
      const vs = out.get(r.group) ?? [];
      if (!vs.includes(r.version)) vs.push(r.version);
      out.set(r.group, vs);
    }
    return [...out.entries()].map(([name, versions]) => ({ name, versions }));
  }

  resourcesIn(group: string, version: string): ResourceInfo[] {
    return this.resources.filter((r) => r.group === group && r.version === version);
  }

  /** Registers (or re-registers) the custom resources a CRD defines. */
  applyCrd(crd: KubeObject): void {
    const spec = crd.spec as CrdSpec | undefined;
    if (!spec?.group || !spec.names?.plural || !spec.names.kind) return;
    this.resources = this.resources.filter((r) => r.crd?.metadata.name !== crd.metadata.name);
    if (!crd.metadata.deletionTimestamp) {
      for (const v of spec.versions ?? []) {
        if (v.served === false) continue;
        this.resources.push({
          group: spec.group,
          version: v.name,
          kind: spec.names.kind,
          listKind: spec.names.listKind ?? `${spec.names.kind}List`,
          plural: spec.names.plural,
          singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
          namespaced: spec.scope !== "Cluster",
          shortNames: spec.names.shortNames ?? [],
          categories: spec.names.categories ?? [],
          verbs: STANDARD_VERBS,
          subresources: [v.subresources?.status ? "status" : "", v.subresources?.scale ? "scale" : ""].filter(Boolean),
          storageKey: `${spec.group}/${spec.names.kind}`,
          hasStatus: Boolean(v.subresources?.status),
          crd,
          printerColumns: v.additionalPrinterColumns,
        });
      }
    }
    this.reindex();
  }

  removeCrd(name: string): void {
    const before = this.resources.length;
    this.resources = this.resources.filter((r) => r.crd?.metadata.name !== name);
    if (this.resources.length !== before) this.reindex();
  }
}
