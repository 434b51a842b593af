import "server-only";
import { KubernetesObjectApi, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { MANAGED_BY } from "@/lib/manifests/labels";
import { apiErrorMessage, errorStatus } from "./api-error";
import { refOf, type ApplyListener, type ObjectRef, type ObjectResult } from "./types";

/**
 * Every kind ask-ci applies, in deletion order (the reverse of apply order): the runner goes
 * first so it stops taking jobs, the namespace last.
 */
export const MANAGED_KINDS: ReadonlyArray<{ apiVersion: string; kind: string; namespaced: boolean }> = [
  { apiVersion: "apps/v1", kind: "Deployment", namespaced: true },
  { apiVersion: "eci.alibabacloud.com/v1", kind: "ImageCache", namespaced: false },
  { apiVersion: "v1", kind: "PersistentVolumeClaim", namespaced: true },
  { apiVersion: "v1", kind: "PersistentVolume", namespaced: false },
  { apiVersion: "v1", kind: "ConfigMap", namespaced: true },
  { apiVersion: "v1", kind: "Secret", namespaced: true },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", namespaced: true },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", namespaced: true },
  { apiVersion: "v1", kind: "ServiceAccount", namespaced: true },
  { apiVersion: "v1", kind: "Namespace", namespaced: false },
];

export interface Instance {
  namespace: string;
  instanceName: string;
}

/** The selector every ask-ci object of one runner instance matches. */
export function instanceSelector(instance: Instance): string {
  return `app.kubernetes.io/managed-by=${MANAGED_BY},app.kubernetes.io/instance=${instance.instanceName}`;
}

/**
 * What ask-ci applied for this instance, found by its labels rather than by regenerating the
 * manifests, so objects from older settings (a volume since removed) are found too. A kind the
 * cluster does not serve (no ImageCache CRD) has nothing to find.
 */
export async function findInstanceObjects(kc: KubeConfig, instance: Instance): Promise<KubernetesObject[]> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  const found: KubernetesObject[] = [];
  for (const { apiVersion, kind, namespaced } of MANAGED_KINDS) {
    try {
      const list = await client.list(apiVersion, kind, namespaced ? instance.namespace : undefined, undefined, undefined, undefined, undefined, instanceSelector(instance));
      // Only the instance's own namespace: another namespace of the same instance name is not ours to delete.
      found.push(...list.items.filter((o) => kind !== "Namespace" || o.metadata?.name === instance.namespace).map((o) => ({ ...o, apiVersion, kind })));
    } catch (error) {
      if (errorStatus(error) === 404 || /Unrecognized API version and kind|Failed to fetch resource metadata/.test(apiErrorMessage(error))) continue;
      throw error;
    }
  }
  return found;
}

export interface UninstallOptions {
  onEvent?: ApplyListener;
  /** How long to wait for deleted objects (a terminating namespace) to disappear. */
  timeoutMs?: number;
}

/** Deletes every object of the instance and waits until they are gone. */
export async function uninstallInstance(kc: KubeConfig, instance: Instance, options: UninstallOptions = {}): Promise<ObjectResult[]> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  const objects = await findInstanceObjects(kc, instance);
  const refs: ObjectRef[] = objects.map(refOf);
  options.onEvent?.({ type: "plan", mode: "uninstall", objects: refs });
  const results: ObjectResult[] = [];
  for (const [index, object] of objects.entries()) {
    const ref = refs[index];
    let result: ObjectResult;
    try {
      await client.delete(object, undefined, undefined, undefined, undefined, "Background");
      result = { ref, outcome: "deleted" };
    } catch (error) {
      result = errorStatus(error) === 404 ? { ref, outcome: "absent" } : { ref, outcome: "failed", message: apiErrorMessage(error) };
    }
    results.push(result);
    options.onEvent?.({ type: "object", index, result });
  }
  const lingering = new Set((await waitUntilGone(client, objects, options.timeoutMs ?? 60_000)).map((o) => o.metadata?.uid));
  return results.map((r, i) => (r.outcome === "deleted" && lingering.has(objects[i].metadata?.uid) ? { ...r, message: "Deletion requested; still terminating" } : r));
}

/** The objects still present when the time is up (a namespace waiting for its pods, finalizers). */
async function waitUntilGone(client: KubernetesObjectApi, objects: KubernetesObject[], timeoutMs: number): Promise<KubernetesObject[]> {
  const deadline = Date.now() + timeoutMs;
  let remaining = objects;
  while (remaining.length > 0 && Date.now() < deadline) {
    const still: KubernetesObject[] = [];
    for (const object of remaining) {
      try {
        await client.read({ apiVersion: object.apiVersion!, kind: object.kind!, metadata: { name: object.metadata!.name!, namespace: object.metadata?.namespace } });
        still.push(object);
      } catch (error) {
        if (errorStatus(error) !== 404) still.push(object);
      }
    }
    remaining = still;
    if (remaining.length > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return remaining;
}
