import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import type { RunnerSettings } from "@/lib/runner-settings/schema";
import { commonLabels, metadata, selectorLabels } from "./labels";
import { placementLabels, runnerPodPlacement } from "./placement";
import { objectNames } from "./names";
import { runnerImage } from "./images";
import { CONFIG_FILE, CONFIG_KEYS, METRICS_PORT, RUNNER_PATHS } from "./paths";
import { runnerUser } from "./runner-release";
import { CACHE_SECRET_KEYS, RUNNER_TOKEN_KEY } from "./secrets";

const CONFIG_CHECKSUM_ANNOTATION = "ask-ci.io/config-checksum";

/**
 * The runner reads its config once at start (the entrypoint copies it), so a changed
 * ConfigMap, token or cache credential must roll the pod: the checksum in the pod template does that.
 */
export function configChecksum(configMap: IConfigMap, tokenSecret: ISecret, cacheSecret?: ISecret): string {
  const parts: unknown[] = [configMap.data, tokenSecret.data];
  if (cacheSecret) parts.push(cacheSecret.data);
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify(parts))));
}

function env(settings: RunnerSettings): IEnvVar[] {
  const names = objectNames(settings);
  const vars: IEnvVar[] = [
    { name: "CI_SERVER_URL", value: settings.gitlab.url },
    { name: "RUNNER_NAME", value: settings.gitlab.runnerName },
    { name: "RUNNER_EXECUTOR", value: "kubernetes" },
    { name: "CI_SERVER_TOKEN", valueFrom: { secretKeyRef: { name: names.tokenSecret, key: RUNNER_TOKEN_KEY } } },
    { name: "CONFIG_FILE", value: CONFIG_FILE },
    // The gitlab-runner user's home in both image flavours; explicit so it holds whatever uid runs.
    { name: "HOME", value: RUNNER_PATHS.home },
  ];
  if (settings.gitlab.caCertificate)
    vars.push({ name: "CI_SERVER_TLS_CA_FILE", value: `${RUNNER_PATHS.configMapDir}/${CONFIG_KEYS.caCertificate}` });
  if (names.cacheSecret) {
    // register writes these into [runners.cache.s3] (their env names in cacheconfig.CacheS3Config).
    const fromCacheSecret = (key: string) => ({ secretKeyRef: { name: names.cacheSecret!, key } });
    vars.push(
      { name: "CACHE_S3_ACCESS_KEY", valueFrom: fromCacheSecret(CACHE_SECRET_KEYS.accessKey) },
      { name: "CACHE_S3_SECRET_KEY", valueFrom: fromCacheSecret(CACHE_SECRET_KEYS.secretKey) },
    );
  }
  return vars;
}

export function deploymentObject(settings: RunnerSettings, checksum: string): IDeployment {
  const names = objectNames(settings);
  const { runnerPod } = settings;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(settings, names.deployment),
    spec: {
      replicas: 1,
      revisionHistoryLimit: 3,
      // Two managers with one token would both take jobs during a rolling update (2 × concurrent).
      strategy: { type: "Recreate" },
      selector: { matchLabels: selectorLabels(settings) },
      template: {
        metadata: {
          labels: { ...commonLabels(settings), ...placementLabels(runnerPodPlacement(settings)) },
          annotations: {
            ...(settings.runnerPod.backend === "eci" ? { [ECI_ANNOTATIONS.imageCache]: "true" } : {}),
            [CONFIG_CHECKSUM_ANNOTATION]: checksum,
          },
        },
        spec: {
          // In-cluster credentials with the Role's rights, instead of the seed's admin certificate.
          serviceAccountName: names.serviceAccount,
          // The image's own gitlab-runner user (Alpine 100/65533, Ubuntu 999/999), as GitLab documents.
          securityContext: {
            runAsNonRoot: true,
            ...runnerUser(runnerPod.flavour),
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: "gitlab-runner",
              image: runnerImage(settings),
              imagePullPolicy: "IfNotPresent",
              // As the chart does: dumb-init (shipped in the runner images) forwards signals and
              // reaps the processes the readiness probe leaves behind.
              command: [
                "/usr/bin/dumb-init",
                "--",
                "/bin/bash",
                `${RUNNER_PATHS.configMapDir}/${CONFIG_KEYS.entrypoint}`,
              ],
              env: env(settings),
              ports: [{ name: "metrics", containerPort: METRICS_PORT, protocol: "TCP" }],
              // Requests = limits: ECI bills the rounded limits anyway, and the runner pod runs 24/7.
              resources: {
                requests: { cpu: runnerPod.cpu, memory: runnerPod.memory },
                limits: { cpu: runnerPod.cpu, memory: runnerPod.memory },
              },
              // register contacts GitLab before metrics are served; allow it up to 5 minutes.
              startupProbe: { httpGet: { path: "/metrics", port: "metrics" }, periodSeconds: 10, failureThreshold: 30 },
              livenessProbe: {
                httpGet: { path: "/metrics", port: "metrics" },
                periodSeconds: 30,
                timeoutSeconds: 5,
                failureThreshold: 3,
              },
              readinessProbe: {
                exec: { command: ["/bin/bash", `${RUNNER_PATHS.configMapDir}/${CONFIG_KEYS.checkReady}`] },
                periodSeconds: 60,
                timeoutSeconds: 15,
                failureThreshold: 3,
              },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              volumeMounts: [
                { name: "configmaps", mountPath: RUNNER_PATHS.configMapDir, readOnly: true },
                { name: "runner-config", mountPath: RUNNER_PATHS.configDir },
              ],
            },
          ],
          volumes: [
            { name: "configmaps", configMap: { name: names.configMap } },
            // Holds config.toml with the token: in memory, gone with the pod.
            { name: "runner-config", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
          ],
        },
      },
    },
  };
}
