import type { Pod } from "@/lib/kube/pod";

// ECI's own switches (__ECI_RESOURCE_IGNORE__ leaves a container out of the billed spec).
const ECI_ENV_PREFIX = "__ECI_";

type SlimmableContainer = { env?: Array<{ name: string }>; envFrom?: unknown; command?: unknown; args?: unknown };

/**
 * Drops what nothing that keeps watched pods reads: env (a GitLab job pod carries every CI
 * variable, some of them secret, often several KB per pod) except ECI's switches, envFrom,
 * command, args and the pod's volumes. Rows, costs and JobRecords read metadata, status,
 * container names and resources, which stay; the detail panel reads the pod from the API.
 * Changes the pod in place (it was just parsed from the API's JSON) and returns it.
 */
export function slimWatchedPod(pod: Pod): Pod {
  const spec = pod.spec;
  if (!spec) return pod;
  delete spec.volumes;
  const containers: SlimmableContainer[] = [
    ...(spec.containers ?? []),
    ...(spec.initContainers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ];
  for (const container of containers) {
    if (container.env) {
      const kept = container.env.filter(
        (variable) => typeof variable?.name === "string" && variable.name.startsWith(ECI_ENV_PREFIX),
      );
      if (kept.length > 0) container.env = kept;
      else delete container.env;
    }
    delete container.envFrom;
    delete container.command;
    delete container.args;
  }
  return pod;
}
