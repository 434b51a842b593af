import { parse as parseToml } from "smol-toml";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { podPhase, podRestarts, type Pod } from "@/lib/kube/pod";

/** What the runner card shows of config.toml: never the token or anything else secret. */
export interface RunnerConfigSummary {
  concurrent: number | null;
  runners: Array<{
    name: string;
    cpuRequest: string | null;
    cpuLimit: string | null;
    memoryRequest: string | null;
    memoryLimit: string | null;
  }>;
}

export interface RunnerInfo {
  name: string;
  namespace: string;
  desired: number;
  ready: number;
  updated: number;
  available: number;
  pods: Array<{ name: string; phase: string; restarts: number; ready: boolean }>;
  config: RunnerConfigSummary | null;
}

function text(value: unknown): string | null {
  return typeof value === "string" || typeof value === "number" ? String(value) : null;
}

/** The summary of a config.toml (or the chart's config template), or null if it does not parse. */
export function summarizeRunnerConfig(toml: string): RunnerConfigSummary | null {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(toml) as Record<string, unknown>;
  } catch {
    return null;
  }
  const runners = Array.isArray(doc.runners) ? (doc.runners as Array<Record<string, unknown>>) : [];
  return {
    concurrent: typeof doc.concurrent === "number" ? doc.concurrent : null,
    runners: runners.map((runner) => {
      const k8s = (runner.kubernetes ?? {}) as Record<string, unknown>;
      return {
        name: text(runner.name) ?? "",
        cpuRequest: text(k8s.cpu_request),
        cpuLimit: text(k8s.cpu_limit),
        memoryRequest: text(k8s.memory_request),
        memoryLimit: text(k8s.memory_limit),
      };
    }),
  };
}

/** A Deployment runs GitLab Runner when one of its containers uses a gitlab-runner image (not the helper). */
export function isRunnerDeployment(deployment: IDeployment): boolean {
  return (deployment.spec?.template.spec?.containers ?? []).some((c) => /gitlab-runner(?!-helper)/.test(c.image ?? ""));
}

/** Names of the ConfigMaps a Deployment's pods mount, directly or through projected volumes. */
export function mountedConfigMaps(deployment: IDeployment): string[] {
  const names: string[] = [];
  for (const volume of deployment.spec?.template.spec?.volumes ?? []) {
    if (volume.configMap?.name) names.push(volume.configMap.name);
    for (const source of volume.projected?.sources ?? []) if (source.configMap?.name) names.push(source.configMap.name);
  }
  return names;
}

/**
 * The config summary of every TOML file in the runner's ConfigMaps together. The layout of the
 * official Helm chart, which the wizard follows, splits it: `config.toml` holds the global settings
 * (`concurrent`), `config.template.toml` the `[[runners]]` section that `register` merges in. Null
 * when no file has either.
 */
export function runnerConfigOf(configMaps: IConfigMap[]): RunnerConfigSummary | null {
  let concurrent: number | null = null;
  const runners: RunnerConfigSummary["runners"] = [];
  let found = false;
  for (const configMap of configMaps) {
    for (const [key, value] of Object.entries(configMap.data ?? {})) {
      if (!key.endsWith(".toml")) continue;
      const summary = summarizeRunnerConfig(value);
      if (!summary) continue;
      if (summary.concurrent === null && summary.runners.length === 0) continue;
      found = true;
      concurrent ??= summary.concurrent;
      runners.push(...summary.runners);
    }
  }
  return found ? { concurrent, runners } : null;
}

export function toRunnerInfo(deployment: IDeployment, pods: Pod[], configMaps: IConfigMap[]): RunnerInfo {
  return {
    name: deployment.metadata?.name ?? "",
    namespace: deployment.metadata?.namespace ?? "",
    desired: deployment.spec?.replicas ?? 1,
    ready: deployment.status?.readyReplicas ?? 0,
    updated: deployment.status?.updatedReplicas ?? 0,
    available: deployment.status?.availableReplicas ?? 0,
    pods: pods.map((pod) => ({
      name: pod.metadata?.name ?? "",
      phase: podPhase(pod),
      restarts: podRestarts(pod),
      ready: pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
    })),
    config: runnerConfigOf(configMaps),
  };
}
