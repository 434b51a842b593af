import type { RunnerSettings } from "@/lib/runner-settings/schema";

export const MANAGED_BY = "ask-ci";
export const APP_NAME = "gitlab-runner";

/** Labels on every object; uninstall selects on managed-by + instance. */
export function commonLabels(settings: RunnerSettings): Record<string, string> {
  return {
    "app.kubernetes.io/name": APP_NAME,
    "app.kubernetes.io/instance": settings.cluster.instanceName,
    "app.kubernetes.io/part-of": "ask-ci",
    "app.kubernetes.io/managed-by": MANAGED_BY,
  };
}

/** The stable subset used as the Deployment selector (selectors are immutable once applied). */
export function selectorLabels(settings: RunnerSettings): Record<string, string> {
  return {
    "app.kubernetes.io/name": APP_NAME,
    "app.kubernetes.io/instance": settings.cluster.instanceName,
  };
}

export function metadata(settings: RunnerSettings, name: string, scope: "namespaced" | "cluster" = "namespaced") {
  return scope === "cluster"
    ? { name, labels: commonLabels(settings) }
    : { name, namespace: settings.cluster.namespace, labels: commonLabels(settings) };
}
