import type { ISecret } from "kubernetes-models/v1/Secret";
import type { RunnerSettings } from "@/lib/runner-settings/schema";
import { toBase64 } from "./base64";
import { metadata } from "./labels";
import { objectNames } from "./names";

/** Key the entrypoint reads (same name as the official Helm chart's secret). */
export const RUNNER_TOKEN_KEY = "runner-token";

export function runnerTokenSecret(settings: RunnerSettings): ISecret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: metadata(settings, objectNames(settings).tokenSecret),
    type: "Opaque",
    data: { [RUNNER_TOKEN_KEY]: toBase64(settings.gitlab.runnerToken) },
  };
}

/** The same content `kubectl create secret docker-registry` writes (the seed's README step). */
export function dockerConfigJson(registry: NonNullable<RunnerSettings["registry"]>): string {
  const auth = toBase64(`${registry.username}:${registry.password}`);
  return JSON.stringify({
    auths: { [registry.server]: { username: registry.username, password: registry.password, auth } },
  });
}

export function registrySecret(settings: RunnerSettings): ISecret | undefined {
  if (!settings.registry) return undefined;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: metadata(settings, settings.registry.secretName),
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": toBase64(dockerConfigJson(settings.registry)) },
  };
}

/**
 * The distributed cache's AccessKey pair, under the key names the official chart uses for its
 * `runners.cache.secretName` Secret (accesskey, secretkey; gitlab-runner
 * docs/install/kubernetes_helm_chart_configuration.md, "Use the cache with a configuration template").
 */
export const CACHE_SECRET_KEYS = { accessKey: "accesskey", secretKey: "secretkey" } as const;

export function cacheSecret(settings: RunnerSettings): ISecret | undefined {
  const cache = settings.distributedCache;
  if (!cache) return undefined;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: metadata(settings, cache.secretName),
    type: "Opaque",
    data: {
      [CACHE_SECRET_KEYS.accessKey]: toBase64(cache.accessKeyId),
      [CACHE_SECRET_KEYS.secretKey]: toBase64(cache.accessKeySecret),
    },
  };
}
