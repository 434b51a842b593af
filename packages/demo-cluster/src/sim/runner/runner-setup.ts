import type { ClusterStore, KubeObject } from "../../types";
import { CONFIG_MAP, SECRET } from "../kinds";
import { parseRunnerConfig, parseTomlLeniently, runnerConfigFrom, type LoadedRunnerConfig } from "./runner-config";

const JOB_POD_LABEL = "job.runner.gitlab.com/pod";

interface Container {
  name?: string;
  image?: string;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
}

interface Volume {
  name?: string;
  configMap?: { name: string; items?: Array<{ key: string }> };
  secret?: { secretName: string; items?: Array<{ key: string }> };
  projected?: {
    sources?: Array<{
      configMap?: { name: string; items?: Array<{ key: string }> };
      secret?: { name: string; items?: Array<{ key: string }> };
    }>;
  };
}

const podSpec = (pod: KubeObject) => (pod.spec ?? {}) as { containers?: Container[]; volumes?: Volume[] };

export function isJobPod(pod: KubeObject): boolean {
  return Boolean(pod.metadata.labels?.[JOB_POD_LABEL]);
}

/** A GitLab Runner manager pod: labelled app=gitlab-runner or running the gitlab-runner (not helper) image. */
export function isRunnerPod(pod: KubeObject): boolean {
  if (isJobPod(pod)) return false;
  const labels = pod.metadata.labels ?? {};
  if (labels.app === "gitlab-runner" || labels["app.kubernetes.io/name"] === "gitlab-runner") return true;
  return (podSpec(pod).containers ?? []).some(
    (c) => (c.image ?? "").includes("gitlab-runner") && !(c.image ?? "").includes("helper"),
  );
}

/** The runner process's container, whose log the simulated runner writes to. */
export function runnerContainerName(pod: KubeObject): string {
  const containers = podSpec(pod).containers ?? [];
  const runner = containers.find((c) => (c.image ?? "").includes("gitlab-runner")) ?? containers[0];
  return runner?.name ?? "gitlab-runner";
}

function mountedSources(pod: KubeObject) {
  const configMaps: Array<{ name: string; items?: Array<{ key: string }> }> = [];
  const secrets: Array<{ name: string; items?: Array<{ key: string }> }> = [];
  for (const volume of podSpec(pod).volumes ?? []) {
    if (volume.configMap) configMaps.push(volume.configMap);
    if (volume.secret) secrets.push({ name: volume.secret.secretName, items: volume.secret.items });
    for (const source of volume.projected?.sources ?? []) {
      if (source.configMap) configMaps.push(source.configMap);
      if (source.secret) secrets.push(source.secret);
    }
  }
  return { configMaps, secrets };
}

function readSecretKey(store: ClusterStore, namespace: string, name: string, key: string): string | undefined {
  const secret = store.get(SECRET, namespace, name) as
    (KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> }) | undefined;
  if (secret?.stringData?.[key]) return secret.stringData[key];
  const encoded = secret?.data?.[key];
  return encoded ? Buffer.from(encoded, "base64").toString("utf8").trim() : undefined;
}

export interface RunnerSetup extends LoadedRunnerConfig {
  /** "namespace/name" of the ConfigMap config.toml came from, when one was found. */
  configMap?: string;
}

/**
 * config.toml from the ConfigMap mounted into the runner pod (directly or through a projected
 * volume). With a `config.template.toml` beside it (the Helm chart's and our wizard's layout),
 * its [[runners]] are merged in as `gitlab-runner register --template-config` does, with the
 * name and URL from RUNNER_NAME / CI_SERVER_URL when the template leaves them out.
 */
export function loadRunnerSetup(store: ClusterStore, pod: KubeObject): RunnerSetup {
  const namespace = pod.metadata.namespace ?? "default";
  for (const ref of mountedSources(pod).configMaps) {
    if (ref.items && !ref.items.some((item) => item.key === "config.toml")) continue;
    const configMap = store.get(CONFIG_MAP, namespace, ref.name) as
      (KubeObject & { data?: Record<string, string> }) | undefined;
    const text = configMap?.data?.["config.toml"];
    if (text === undefined) continue;
    const source = `${namespace}/${ref.name}`;
    const template = configMap?.data?.["config.template.toml"];
    if (template === undefined) return { ...parseRunnerConfig(text), configMap: source };
    const global = parseTomlLeniently(text);
    const templated = parseTomlLeniently(template, "config.template.toml");
    const env = containerEnv(pod);
    const runners = (Array.isArray(templated.table.runners) ? templated.table.runners : []).map(
      (runner: Record<string, unknown>) => ({
        ...(env.RUNNER_NAME ? { name: env.RUNNER_NAME } : {}),
        ...(env.CI_SERVER_URL ? { url: env.CI_SERVER_URL } : {}),
        ...runner,
      }),
    );
    return {
      config: runnerConfigFrom({ ...global.table, ...(runners.length ? { runners } : {}) }),
      problems: [...global.problems, ...templated.problems],
      configMap: source,
    };
  }
  return {
    ...parseRunnerConfig(""),
    problems: ["no ConfigMap with a config.toml key is mounted into the runner pod; using defaults"],
  };
}

function containerEnv(pod: KubeObject): Record<string, string> {
  const values: Record<string, string> = {};
  for (const container of podSpec(pod).containers ?? []) {
    for (const env of container.env ?? []) if (env.value !== undefined) values[env.name] ??= env.value;
  }
  return values;
}

/**
 * The runner token when config.toml has none: from the RUNNER_TOKEN / CI_SERVER_TOKEN env of the
 * runner container (value or secretKeyRef, as the Helm chart wires it) or a mounted Secret's
 * runner-token key.
 */
export function tokenFromPod(store: ClusterStore, pod: KubeObject): string | undefined {
  const namespace = pod.metadata.namespace ?? "default";
  for (const container of podSpec(pod).containers ?? []) {
    for (const env of container.env ?? []) {
      if (env.name !== "RUNNER_TOKEN" && env.name !== "CI_SERVER_TOKEN") continue;
      if (env.value) return env.value;
      const ref = env.valueFrom?.secretKeyRef;
      const value = ref && readSecretKey(store, namespace, ref.name, ref.key);
      if (value) return value;
    }
  }
  for (const secret of mountedSources(pod).secrets) {
    const value = readSecretKey(store, namespace, secret.name, "runner-token");
    if (value) return value;
  }
  return undefined;
}
