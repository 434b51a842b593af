import "server-only";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { kubeConfigForConnection } from "@/lib/connections/kube-client.server";
import type { Pod } from "@/lib/kube/pod";
import { toApiJson } from "./kube-source.server";
import { isRunnerDeployment, mountedConfigMaps, toRunnerInfo, type RunnerInfo } from "./runner-info";
import { ALL_NAMESPACES } from "./validation";

function selectorString(deployment: IDeployment): string {
  return Object.entries(deployment.spec?.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** The GitLab Runner Deployments of a namespace (or of all, ALL_NAMESPACES). */
async function runnerDeployments(connectionId: string, namespace: string): Promise<IDeployment[]> {
  const apps = (await kubeConfigForConnection(connectionId)).makeApiClient(AppsV1Api);
  const list =
    namespace === ALL_NAMESPACES
      ? await apps.listDeploymentForAllNamespaces()
      : await apps.listNamespacedDeployment({ namespace });
  return toApiJson<IDeployment[]>(list.items).filter(isRunnerDeployment);
}

/** The GitLab Runner Deployments of a namespace (or of all) with their pods and config summary. */
export async function loadRunners(connectionId: string, namespace: string): Promise<RunnerInfo[]> {
  const core = (await kubeConfigForConnection(connectionId)).makeApiClient(CoreV1Api);
  const deployments = await runnerDeployments(connectionId, namespace);
  return Promise.all(
    deployments.map(async (deployment) => {
      const own = deployment.metadata?.namespace ?? namespace;
      const selector = selectorString(deployment);
      const pods = selector
        ? toApiJson<Pod[]>((await core.listNamespacedPod({ namespace: own, labelSelector: selector })).items)
        : [];
      const configMaps: IConfigMap[] = [];
      for (const name of mountedConfigMaps(deployment)) {
        try {
          configMaps.push(toApiJson<IConfigMap>(await core.readNamespacedConfigMap({ namespace: own, name })));
        } catch {
          // A missing or unreadable ConfigMap only costs the config summary.
        }
      }
      return toRunnerInfo(deployment, pods, configMaps);
    }),
  );
}

/**
 * Namespaces that run GitLab Runner, with how many runner Deployments each: the monitor's picker.
 * Null when the credentials may not list Deployments across the cluster.
 */
export async function runnerNamespaces(connectionId: string): Promise<Map<string, number> | null> {
  let deployments: IDeployment[];
  try {
    deployments = await runnerDeployments(connectionId, ALL_NAMESPACES);
  } catch {
    return null;
  }
  const counts = new Map<string, number>();
  for (const deployment of deployments) {
    const namespace = deployment.metadata?.namespace ?? "";
    counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
  }
  return counts;
}
