import "server-only";
import { AppsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { unlessNotFound } from "@/lib/kube/api-error";
import { rolloutStatus } from "./rollout-status";
import type { RolloutStatus } from "./types";

export interface WaitOptions {
  namespace: string;
  deployment: string;
  /** Label selector of the runner pods ("app.kubernetes.io/name=gitlab-runner,…"). */
  selector: string;
  timeoutMs?: number;
  intervalMs?: number;
  onStatus?: (status: RolloutStatus) => void;
  signal?: AbortSignal;
}

export async function readRollout(
  kc: KubeConfig,
  options: Pick<WaitOptions, "namespace" | "deployment" | "selector">,
): Promise<RolloutStatus> {
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const deployment = await unlessNotFound(
    apps.readNamespacedDeployment({ name: options.deployment, namespace: options.namespace }),
  );
  const pods = await core.listNamespacedPod({ namespace: options.namespace, labelSelector: options.selector });
  return rolloutStatus(deployment, pods.items);
}

/**
 * Polls until the runner Deployment is available or the time is up, reporting each change.
 * Polling (not a watch) keeps this one short loop; it runs for one apply, at most a few minutes.
 */
export async function waitForRollout(kc: KubeConfig, options: WaitOptions): Promise<RolloutStatus> {
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  let last: RolloutStatus | undefined;
  for (;;) {
    const status = await readRollout(kc, options);
    if (!last || JSON.stringify(last) !== JSON.stringify(status)) options.onStatus?.(status);
    last = status;
    if (status.available || options.signal?.aborted) return status;
    if (Date.now() >= deadline) {
      return {
        ...status,
        message: `Not available after ${Math.round((options.timeoutMs ?? 180_000) / 1000)} s: ${status.message}`,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
  }
}
