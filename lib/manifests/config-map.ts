import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { RunnerSettings } from "@/lib/runner-settings/schema";
import { globalConfigToml, runnerTemplateToml } from "./config-toml";
import { metadata } from "./labels";
import { objectNames } from "./names";
import { CONFIG_KEYS } from "./paths";
import { CHECK_READY_SCRIPT, ENTRYPOINT_SCRIPT } from "./runner-scripts";

/** Everything the runner container reads from /configmaps; holds no secret. */
export function configMapObject(settings: RunnerSettings): IConfigMap {
  const data: Record<string, string> = {
    [CONFIG_KEYS.globalConfig]: globalConfigToml(settings),
    [CONFIG_KEYS.runnerTemplate]: runnerTemplateToml(settings),
    [CONFIG_KEYS.entrypoint]: ENTRYPOINT_SCRIPT,
    [CONFIG_KEYS.checkReady]: CHECK_READY_SCRIPT,
  };
  // A CA certificate is public; it lives here rather than in a Secret.
  if (settings.gitlab.caCertificate) data[CONFIG_KEYS.caCertificate] = settings.gitlab.caCertificate.trim() + "\n";
  return { apiVersion: "v1", kind: "ConfigMap", metadata: metadata(settings, objectNames(settings).configMap), data };
}
