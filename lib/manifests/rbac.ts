import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { RunnerSettings } from "@/lib/runner-settings/schema";
import { metadata } from "./labels";
import { objectNames } from "./names";

/**
 * What the Kubernetes executor needs with its default settings, from GitLab's
 * "Configure runner API permissions" table (docs.gitlab.com/runner/executors/kubernetes):
 * rows that only apply to opt-in features (namespace_per_job, autoscaler, pod disruption budgets,
 * FF_PRINT_POD_EVENTS watch) are left out. The seed instead gave the runner the cluster admin's
 * client certificate, i.e. every permission in the cluster.
 */
export const RUNNER_RULES = [
  { apiGroups: [""], resources: ["events"], verbs: ["list"] },
  { apiGroups: [""], resources: ["pods"], verbs: ["create", "delete", "get", "list", "watch"] },
  { apiGroups: [""], resources: ["pods/attach"], verbs: ["create", "delete", "get", "patch"] },
  { apiGroups: [""], resources: ["pods/exec"], verbs: ["create", "delete", "get", "patch"] },
  { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list"] },
  { apiGroups: [""], resources: ["secrets"], verbs: ["create", "delete", "get", "update"] },
  { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get"] },
  { apiGroups: [""], resources: ["services"], verbs: ["create", "get"] },
];

export function serviceAccountObject(settings: RunnerSettings): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: metadata(settings, objectNames(settings).serviceAccount),
  };
}

export function roleObject(settings: RunnerSettings): IRole {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: metadata(settings, objectNames(settings).role),
    rules: RUNNER_RULES.map((rule) => ({
      ...rule,
      apiGroups: [...rule.apiGroups],
      resources: [...rule.resources],
      verbs: [...rule.verbs],
    })),
  };
}

export function roleBindingObject(settings: RunnerSettings): IRoleBinding {
  const names = objectNames(settings);
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: metadata(settings, names.roleBinding),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: names.role },
    subjects: [{ kind: "ServiceAccount", name: names.serviceAccount, namespace: names.namespace }],
  };
}
