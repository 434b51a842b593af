import { randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { MemoryStore } from "./store";
import type { KubeObject } from "./types";

export interface UserInfo {
  username: string;
  groups: string[];
}

export interface ClusterTokens {
  admin: string;
  limited: string;
}

/** The namespaced service account behind the limited token. */
export const LIMITED_SA = { namespace: "gitlab-runner", name: "ask-ci-viewer" };
export const ADMIN_USER: UserInfo = {
  username: "kubernetes-admin",
  groups: ["system:masters", "system:authenticated"],
};
export const LIMITED_USER: UserInfo = {
  username: `system:serviceaccount:${LIMITED_SA.namespace}:${LIMITED_SA.name}`,
  groups: ["system:serviceaccounts", `system:serviceaccounts:${LIMITED_SA.namespace}`, "system:authenticated"],
};

export function loadOrCreateTokens(stateDir: string | undefined): ClusterTokens {
  const file = stateDir ? path.join(stateDir, "tokens.json") : undefined;
  if (file && existsSync(file)) {
    try {
      const t = JSON.parse(readFileSync(file, "utf8")) as Partial<ClusterTokens>;
      if (t.admin && t.limited) return { admin: t.admin, limited: t.limited };
    } catch {
      // Unreadable: issue new tokens below.
    }
  }
  const tokens = {
    admin: `demo-admin.${randomBytes(24).toString("hex")}`,
    limited: `demo-viewer.${randomBytes(24).toString("hex")}`,
  };
  if (file) {
    mkdirSync(stateDir!, { recursive: true });
    writeFileSync(file, JSON.stringify(tokens, null, 2) + "\n", { mode: 0o600 });
  }
  return tokens;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function authenticate(tokens: ClusterTokens, authorization: string | undefined): UserInfo | undefined {
  const m = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!m) return undefined;
  if (same(m[1], tokens.admin)) return ADMIN_USER;
  if (same(m[1], tokens.limited)) return LIMITED_USER;
  return undefined;
}

export interface Attributes {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** What every authenticated user may do (system:basic-user, system:discovery, system:public-info-viewer). */
const BASIC_RULES: PolicyRule[] = [
  {
    verbs: ["create"],
    apiGroups: ["authorization.k8s.io"],
    resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
  },
  { verbs: ["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"] },
];
const BASIC_NON_RESOURCE: PolicyRule[] = [
  {
    verbs: ["get"],
    nonResourceURLs: [
      "/api",
      "/api/*",
      "/apis",
      "/apis/*",
      "/healthz",
      "/livez",
      "/openapi",
      "/openapi/*",
      "/readyz",
      "/version",
      "/version/",
    ],
  },
];

function has(list: string[] | undefined, v: string): boolean {
  return Boolean(list?.includes("*") || list?.includes(v));
}

function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb) || !has(rule.apiGroups, a.apiGroup)) return false;
  const full = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resources = rule.resources ?? [];
  const resOk =
    resources.includes("*") ||
    resources.includes(full) ||
    (a.subresource ? resources.includes(`*/${a.subresource}`) : false);
  if (!resOk) return false;
  if (rule.resourceNames?.length) return a.name !== undefined && rule.resourceNames.includes(a.name);
  return true;
}

function subjectMatches(
  s: { kind?: string; name?: string; namespace?: string },
  user: UserInfo,
  bindingNs?: string,
): boolean {
  if (s.kind === "User") return s.name === user.username;
  if (s.kind === "Group") return s.name !== undefined && user.groups.includes(s.name);
  if (s.kind === "ServiceAccount")
    return user.username === `system:serviceaccount:${s.namespace ?? bindingNs}:${s.name}`;
  return false;
}

const RBAC = "rbac.authorization.k8s.io/v1";

/** RBAC over the Role/ClusterRole(Binding) objects in the store, plus the built-in basic rules. */
export class Authorizer {
  constructor(private readonly store: MemoryStore) {}

  private rulesOf(kind: "Role" | "ClusterRole", namespace: string | undefined, name: string): PolicyRule[] {
    const role = this.store.get({ apiVersion: RBAC, kind }, namespace, name) as
      (KubeObject & { rules?: PolicyRule[] }) | undefined;
    return role?.rules ?? [];
  }

  /** Rules that apply to `user` in `namespace` (cluster-wide ones when namespace is undefined). */
  rules(user: UserInfo, namespace: string | undefined): PolicyRule[] {
    if (user.groups.includes("system:masters"))
      return [
        { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
        { verbs: ["*"], nonResourceURLs: ["*"] },
      ];
    const out: PolicyRule[] = [...BASIC_RULES, ...BASIC_NON_RESOURCE];
    const crbs = this.store.list({ apiVersion: RBAC, kind: "ClusterRoleBinding" });
    for (const b of crbs as Array<
      KubeObject & {
        subjects?: Array<{ kind?: string; name?: string; namespace?: string }>;
        roleRef?: { kind: string; name: string };
      }
    >) {
      if (!(b.subjects ?? []).some((s) => subjectMatches(s, user))) continue;
      if (b.roleRef?.kind === "ClusterRole") out.push(...this.rulesOf("ClusterRole", undefined, b.roleRef.name));
    }
    if (namespace) {
      const rbs = this.store.list({ apiVersion: RBAC, kind: "RoleBinding" }, { namespace });
      for (const b of rbs as Array<
        KubeObject & {
          subjects?: Array<{ kind?: string; name?: string; namespace?: string }>;
          roleRef?: { kind: string; name: string };
        }
      >) {
        if (!(b.subjects ?? []).some((s) => subjectMatches(s, user, namespace))) continue;
        if (b.roleRef?.kind === "ClusterRole") out.push(...this.rulesOf("ClusterRole", undefined, b.roleRef.name));
        if (b.roleRef?.kind === "Role") out.push(...this.rulesOf("Role", namespace, b.roleRef.name));
      }
    }
    return out;
  }

  allows(user: UserInfo, a: Attributes): boolean {
    if (user.groups.includes("system:masters")) return true;
    return this.rules(user, a.namespace).some((r) => !r.nonResourceURLs && ruleAllows(r, a));
  }

  allowsNonResource(user: UserInfo, verb: string, urlPath: string): boolean {
    if (user.groups.includes("system:masters")) return true;
    return BASIC_NON_RESOURCE.some(
      (r) =>
        has(r.verbs, verb) &&
        (r.nonResourceURLs ?? []).some((u) => u === urlPath || (u.endsWith("*") && urlPath.startsWith(u.slice(0, -1)))),
    );
  }

  /** The apiserver's 403 message for a denied request. */
  static forbiddenMessage(user: UserInfo, a: Attributes, resourceLabel: string): string {
    const what = a.name ? `${resourceLabel} "${a.name}"` : resourceLabel;
    const full = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const where = a.namespace ? `in the namespace "${a.namespace}"` : "at the cluster scope";
    return `${what} is forbidden: User "${user.username}" cannot ${a.verb} resource "${full}" in API group "${a.apiGroup}" ${where}`;
  }

  /** status of a SelfSubjectRulesReview. */
  rulesReview(user: UserInfo, namespace: string | undefined): Record<string, unknown> {
    const rules = this.rules(user, namespace);
    return {
      resourceRules: rules
        .filter((r) => !r.nonResourceURLs)
        .map((r) => ({
          verbs: r.verbs ?? [],
          apiGroups: r.apiGroups ?? [],
          resources: r.resources ?? [],
          ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
        })),
      nonResourceRules: rules
        .filter((r) => r.nonResourceURLs)
        .map((r) => ({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs })),
      incomplete: false,
    };
  }
}
