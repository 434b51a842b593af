import { BUILT_IN_NAMESPACES, type RunnerSettings } from "@/lib/runner-settings/schema";
import { configMapObject } from "./config-map";
import { configChecksum, deploymentObject } from "./deployment";
import { imageCacheObject } from "./image-cache";
import { namespaceObject } from "./namespace";
import { roleBindingObject, roleObject, serviceAccountObject } from "./rbac";
import { cacheSecret, registrySecret, runnerTokenSecret } from "./secrets";
import { persistentVolume, persistentVolumeClaim } from "./storage";
import type { KubeObject } from "./types";

/**
 * Every object for one runner, in apply order: namespace, RBAC, secrets, config, storage,
 * image cache, then the Deployment that depends on all of them.
 */
export function generateManifests(settings: RunnerSettings): KubeObject[] {
  const tokenSecret = runnerTokenSecret(settings);
  const ossCacheSecret = cacheSecret(settings);
  const configMap = configMapObject(settings);
  const volumes = settings.storage.volumes;
  // Owning "default" would let an uninstall-by-label delete it.
  const ownsNamespace =
    settings.cluster.createNamespace &&
    !(BUILT_IN_NAMESPACES as readonly string[]).includes(settings.cluster.namespace);
  const objects = [
    ownsNamespace ? namespaceObject(settings) : undefined,
    serviceAccountObject(settings),
    roleObject(settings),
    roleBindingObject(settings),
    tokenSecret,
    registrySecret(settings),
    ossCacheSecret,
    configMap,
    ...volumes.map((v) => persistentVolume(settings, v)),
    ...volumes.map((v) => persistentVolumeClaim(settings, v)),
    imageCacheObject(settings),
    deploymentObject(settings, configChecksum(configMap, tokenSecret, ossCacheSecret)),
  ];
  return objects.filter((o) => o !== undefined) as KubeObject[];
}
