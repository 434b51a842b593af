import { stringify as tomlStringify } from "smol-toml";
import { stringify } from "yaml";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import type { RunnerSettings } from "@/lib/runner-settings/schema";
import { runnerTemplate } from "./config-toml";
import { runnerImage } from "./images";
import { objectNames } from "./names";
import { runnerUser } from "./runner-release";
import { RUNNER_RULES } from "./rbac";

/** Splits "registry/path:tag" the way the chart's image.registry/image/tag values expect. */
export function splitImage(image: string): { registry: string; image: string; tag: string } {
  const [name, tag = "latest"] = splitTag(image);
  const first = name.split("/")[0];
  const hasRegistry = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return hasRegistry
    ? { registry: first, image: name.slice(first.length + 1), tag }
    : { registry: "docker.io", image: name, tag };
}

function splitTag(image: string): [string, string?] {
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? [image.slice(0, colon), image.slice(colon + 1)] : [image];
}

/**
 * values.yaml for the official chart (helm repo add gitlab https://charts.gitlab.io;
 * gitlab/gitlab-runner). The token is not written here: `runners.secret` names a Secret the
 * user creates with keys runner-token and runner-registration-token (empty). Job-pod volumes in
 * runners.config reference the PVCs and registry Secret from the plain manifests, which the
 * chart does not create.
 */
export function toHelmValues(settings: RunnerSettings): string {
  const template = runnerTemplate(settings);
  const [runner] = template.runners as Record<string, unknown>[];
  // The chart mounts its own ConfigMap at /configmaps without our ca.crt; use certsSecretName instead.
  delete runner["tls-ca-file"];
  const { runnerPod, gitlab } = settings;
  const values = {
    image: splitImage(runnerImage(settings)),
    imagePullPolicy: "IfNotPresent",
    gitlabUrl: gitlab.url,
    concurrent: gitlab.concurrent,
    checkInterval: gitlab.checkIntervalSeconds,
    logLevel: gitlab.logLevel,
    rbac: {
      create: true,
      rules: RUNNER_RULES.map((r) => ({
        apiGroups: [...r.apiGroups],
        resources: [...r.resources],
        verbs: [...r.verbs],
      })),
    },
    podAnnotations: { [ECI_ANNOTATIONS.imageCache]: "true" },
    // The chart's default (100/65533) is the Alpine image's user; the Ubuntu image's is 999/999.
    securityContext: { runAsNonRoot: true, ...runnerUser(runnerPod.flavour) },
    resources: {
      requests: { cpu: runnerPod.cpu, memory: runnerPod.memory },
      limits: { cpu: runnerPod.cpu, memory: runnerPod.memory },
    },
    runners: {
      secret: objectNames(settings).tokenSecret,
      // The chart sets CACHE_S3_ACCESS_KEY/SECRET_KEY from this Secret's accesskey/secretkey.
      ...(settings.distributedCache ? { cache: { secretName: settings.distributedCache.secretName } } : {}),
      config: tomlStringify({ runners: [runner] }).trimEnd() + "\n",
    },
  };
  return stringify(values, { lineWidth: 0 });
}
