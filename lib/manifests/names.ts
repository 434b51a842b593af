import type { RunnerSettings } from "@/lib/runner-settings/schema";

/** Every object name derived from the settings, in one place so builders agree on references. */
export function objectNames(settings: RunnerSettings) {
  const instance = settings.cluster.instanceName;
  return {
    instance,
    namespace: settings.cluster.namespace,
    serviceAccount: instance,
    role: instance,
    roleBinding: instance,
    tokenSecret: `${instance}-token`,
    configMap: `${instance}-config`,
    deployment: instance,
    registrySecret: settings.registry?.secretName,
    cacheSecret: settings.distributedCache?.secretName,
    // Cluster-scoped: the instance name must be unique per cluster, not only per namespace.
    imageCache: instance,
    persistentVolume: (volume: string) => `${instance}-${volume}-pv`,
    persistentVolumeClaim: (volume: string) => `${instance}-${volume}-pvc`,
  };
}
