import "server-only";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { kubeConfigForConnection } from "@/lib/connections/kube-client.server";
import type { Pod } from "@/lib/kube/pod";
import { toApiJson } from "./kube-source.server";
import { isRunnerDeployment, mountedConfigMaps, toRunnerInfo, type RunnerInfo } from "./runner-info";

function selectorString(deployment: IDeployment): string {
  return Object.entries(deployment.spec?.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** The GitLab Runner Deployments of a namespace with their pods and config summary. */
export async function loadRunners(connectionId: string, namespace: string): Promise<RunnerInfo[]> {
  const config = await kubeConfigForConnection(connectionId);
  const apps = config.makeApiClient(AppsV1Api);
  const core = config.makeApiClient(CoreV1Api);
  const deployments = toApiJson<IDeployment[]>((await apps.listNamespacedDeployment({ namespace })).items).filter(
    isRunnerDeployment,
  );
  return Promise.all(
    deployments.map(async (deployment) => {
      const selector = selectorString(deployment);
      const pods = selector
        ? toApiJson<Pod[]>((await core.listNamespacedPod({ namespace, labelSelector: selector })).items)
        : [];
      const configMaps: IConfigMap[] = [];
      for (const name of mountedConfigMaps(deployment)) {
        try {
          configMaps.push(toApiJson<IConfigMap>(await core.readNamespacedConfigMap({ namespace, name })));
        } catch {
          // A missing or unreadable ConfigMap only costs the config summary.
        }
      }
      return toRunnerInfo(deployment, pods, configMaps);
    }),
  );
}
