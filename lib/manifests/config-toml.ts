import { parse, stringify, type TomlTable } from "smol-toml";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import type { RunnerSettings } from "@/lib/runner-settings/schema";
import { helperImage } from "./images";
import { objectNames } from "./names";
import { jobPodPlacement, placementLabels } from "./placement";
import { cacheTable } from "./oss-cache";
import { CONFIG_KEYS, METRICS_PORT, RUNNER_PATHS } from "./paths";

/**
 * config.toml is split the way the official Helm chart splits it, so that the runner token
 * never sits in the ConfigMap:
 * - `config.toml`: global settings only;
 * - `config.template.toml`: the `[[runners]]` entry without its token. At start the entrypoint
 *   runs `gitlab-runner register --template-config …` with CI_SERVER_TOKEN from the Secret;
 *   with a glrt- token, register only verifies it and writes template + token into the
 *   writable config.toml (docs.gitlab.com/runner/register, "configuration template").
 */

export function globalConfig(settings: RunnerSettings): TomlTable {
  return {
    concurrent: settings.gitlab.concurrent,
    check_interval: settings.gitlab.checkIntervalSeconds,
    log_level: settings.gitlab.logLevel,
    // Prometheus metrics; the liveness probe reads them, so a hung process is restarted.
    listen_address: `:${METRICS_PORT}`,
  };
}

export function jobPodAnnotations(settings: RunnerSettings): Record<string, string> {
  const { jobPods } = settings;
  // ECI's annotations mean nothing to ACS (its own image cache is automatic): an ACS pod gets none.
  if (jobPods.backend === "acs") return sortKeys({ ...jobPods.podAnnotations });
  const eci: Record<string, string> = {};
  if (jobPods.useImageCache) eci[ECI_ANNOTATIONS.imageCache] = "true";
  if (jobPods.eciUseSpecs.length > 0) eci[ECI_ANNOTATIONS.useSpecs] = jobPods.eciUseSpecs.join(",");
  if (jobPods.spot.strategy !== "none") eci[ECI_ANNOTATIONS.spotStrategy] = jobPods.spot.strategy;
  if (jobPods.spot.strategy === "SpotWithPriceLimit")
    eci[ECI_ANNOTATIONS.spotPriceLimit] = jobPods.spot.priceLimit.toFixed(3);
  if (jobPods.economyCompute) eci[ECI_ANNOTATIONS.computeCategory] = "economy";
  // The wizard's explicit ECI choices win over a same-named free-form annotation.
  return sortKeys({ ...jobPods.podAnnotations, ...eci });
}

function volumes(settings: RunnerSettings): TomlTable | undefined {
  const names = objectNames(settings);
  const pvc = settings.storage.volumes.map((v) => ({
    name: names.persistentVolumeClaim(v.name),
    mount_path: v.mountPath,
    read_only: false,
  }));
  const secret = settings.registry
    ? [
        {
          name: settings.registry.secretName,
          mount_path: settings.registry.mountPath,
          read_only: true,
          // docker and kaniko read <mount>/config.json; the Secret's key is .dockerconfigjson.
          items: { ".dockerconfigjson": "config.json" },
        },
      ]
    : [];
  if (pvc.length === 0 && secret.length === 0) return undefined;
  return { ...(pvc.length ? { pvc } : {}), ...(secret.length ? { secret } : {}) };
}

export function runnerTemplate(settings: RunnerSettings): TomlTable {
  const { gitlab, jobPods } = settings;
  const runnerCache = settings.storage.volumes.find((v) => v.name === "cache");
  // The wizard's ACS labels win over a same-named free-form label.
  const labels = sortKeys({ ...jobPods.podLabels, ...placementLabels(jobPodPlacement(settings)) });
  const kubernetes: TomlTable = {
    namespace: settings.cluster.namespace,
    image: jobPods.image,
    helper_image: helperImage(settings),
    pull_policy: jobPods.pullPolicy,
    cpu_request: jobPods.build.cpuRequest,
    cpu_limit: jobPods.build.cpuLimit,
    memory_request: jobPods.build.memoryRequest,
    memory_limit: jobPods.build.memoryLimit,
    helper_cpu_request: jobPods.helper.cpuRequest,
    helper_cpu_limit: jobPods.helper.cpuLimit,
    helper_memory_request: jobPods.helper.memoryRequest,
    helper_memory_limit: jobPods.helper.memoryLimit,
    service_cpu_request: jobPods.services.cpuRequest,
    service_cpu_limit: jobPods.services.cpuLimit,
    service_memory_request: jobPods.services.memoryRequest,
    service_memory_limit: jobPods.services.memoryLimit,
    poll_timeout: jobPods.pollTimeoutSeconds,
    poll_interval: jobPods.pollIntervalSeconds,
    ...(Object.keys(labels).length ? { pod_labels: labels } : {}),
    pod_annotations: jobPodAnnotations(settings),
  };
  const jobVolumes = volumes(settings);
  if (jobVolumes) kubernetes.volumes = jobVolumes;
  const cache = cacheTable(settings);
  return {
    runners: [
      {
        name: gitlab.runnerName,
        url: gitlab.url,
        executor: "kubernetes",
        output_limit: gitlab.outputLimitKiB,
        ...(gitlab.caCertificate ? { "tls-ca-file": `${RUNNER_PATHS.configMapDir}/${CONFIG_KEYS.caCertificate}` } : {}),
        // A volume named "cache" holds the runner's local cache, shared by every job pod over NAS.
        ...(runnerCache ? { cache_dir: runnerCache.mountPath } : {}),
        ...(cache ? { cache } : {}),
        kubernetes,
      },
    ],
  };
}

export function globalConfigToml(settings: RunnerSettings): string {
  return stringify(globalConfig(settings)).trimEnd() + "\n";
}

export function runnerTemplateToml(settings: RunnerSettings): string {
  return stringify(runnerTemplate(settings)).trimEnd() + "\n";
}

/** What the runner ends up with after register merged the template (token left out). */
export function mergedConfig(globalToml: string, templateToml: string): TomlTable {
  return { ...parse(globalToml), ...parse(templateToml) };
}

function sortKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
