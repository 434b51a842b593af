import "server-only";
import { KubernetesObjectApi, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { MANAGED_BY } from "@/lib/manifests/labels";
import { apiErrorMessage, errorStatus, isUnservedKindMessage } from "@/lib/kube/api-error";
import { listNamespaceContents } from "./namespace-contents.server";
import { describeObjects, foreignObjects, isOwnedBy } from "./ownership";
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
  /** The runner's name (manager.runner.gitlab.com/name on its job pods): its job pods are the instance's too. */
  runnerName?: string;
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
      const list = await client.list(
        apiVersion,
        kind,
        namespaced ? instance.namespace : undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        instanceSelector(instance),
      );
      // Only the instance's own namespace: another namespace of the same instance name is not ours to delete.
      found.push(
        ...list.items
          .filter((o) => kind !== "Namespace" || o.metadata?.name === instance.namespace)
          .map((o) => ({ ...o, apiVersion, kind })),
      );
    } catch (error) {
      if (errorStatus(error) === 404 || isUnservedKindMessage(apiErrorMessage(error))) continue;
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

export interface KeptObject {
  object: KubernetesObject;
  reason: string;
}

export interface UninstallPlan {
  /** What ask-ci created for this instance, in deletion order. */
  remove: KubernetesObject[];
  /** Carries the instance's labels but must stay: not created by ask-ci, or a namespace holding what others made. */
  keep: KeptObject[];
}

/**
 * What an uninstall deletes and what it leaves. Only objects ask-ci created for this instance
 * (lib/apply/ownership) are deleted. Its namespace is deleted only when nothing else lives in it:
 * deleting a namespace deletes everything in it, whoever made it. When that cannot be checked
 * (discovery or a list refused), the namespace stays.
 */
export async function planUninstall(kc: KubeConfig, instance: Instance): Promise<UninstallPlan> {
  const plan: UninstallPlan = { remove: [], keep: [] };
  for (const object of await findInstanceObjects(kc, instance)) {
    if (!isOwnedBy(object, instance)) {
      plan.keep.push({ object, reason: "Not created by ask-ci for this runner: left in place" });
    } else if (object.kind === "Namespace") {
      const reason = await namespaceKeepReason(kc, instance);
      if (reason) plan.keep.push({ object, reason });
      else plan.remove.push(object);
    } else plan.remove.push(object);
  }
  return plan;
}

async function namespaceKeepReason(kc: KubeConfig, instance: Instance): Promise<string | undefined> {
  try {
    const { objects, namespacedKinds } = await listNamespaceContents(kc, instance.namespace);
    const others = foreignObjects(objects, instance, instance.runnerName, namespacedKinds);
    if (others.length === 0) return undefined;
    return `Kept: it holds ${others.length} object(s) ask-ci did not create (${describeObjects(others)}); deleting it would delete them too`;
  } catch (error) {
    return `Kept: what else is in it could not be checked (${apiErrorMessage(error)})`;
  }
}

/**
 * Deletes every object ask-ci created for the instance and waits until they are gone. Objects it
 * did not create are reported as kept, with why.
 */
export async function uninstallInstance(
  kc: KubeConfig,
  instance: Instance,
  options: UninstallOptions = {},
): Promise<ObjectResult[]> {
  const plan = await planUninstall(kc, instance);
  const kept = plan.keep.map(({ object }) => object);
  options.onEvent?.({ type: "plan", mode: "uninstall", objects: [...plan.remove, ...kept].map(refOf) });
  const deleted = await deleteObjects(kc, plan.remove, { ...options, dryRun: false });
  const keptResults = plan.keep.map(({ object, reason }, i): ObjectResult => {
    const result: ObjectResult = { ref: refOf(object), outcome: "kept", message: reason };
    options.onEvent?.({ type: "object", index: plan.remove.length + i, result });
    return result;
  });
  return [...deleted, ...keptResults];
}

export interface DeleteOptions extends UninstallOptions {
  dryRun: boolean;
  /** Position of the first object in the plan the events refer to. */
  offset?: number;
  /** Why these objects go, shown next to each (pruning). */
  reason?: string;
}

/** Deletes objects in the given order, reporting each; then waits until they are gone (not in a dry run). */
export async function deleteObjects(
  kc: KubeConfig,
  objects: KubernetesObject[],
  options: DeleteOptions,
): Promise<ObjectResult[]> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  const results: ObjectResult[] = [];
  for (const [index, object] of objects.entries()) {
    const ref = refOf(object);
    let result: ObjectResult;
    try {
      // The uid precondition: an object replaced since the plan (deleted and recreated by someone else) is not ours.
      const uid = object.metadata?.uid;
      await client.delete(
        object,
        undefined,
        options.dryRun ? "All" : undefined,
        undefined,
        undefined,
        "Background",
        uid ? { preconditions: { uid } } : undefined,
      );
      result = { ref, outcome: "deleted", ...(options.reason ? { message: options.reason } : {}) };
    } catch (error) {
      result =
        errorStatus(error) === 404
          ? { ref, outcome: "absent" }
          : { ref, outcome: "failed", message: apiErrorMessage(error) };
    }
    results.push(result);
    options.onEvent?.({ type: "object", index: index + (options.offset ?? 0), result });
  }
  if (options.dryRun) return results;
  const lingering = new Set(
    (await waitUntilGone(client, objects, options.timeoutMs ?? 60_000)).map((o) => o.metadata?.uid),
  );
  return results.map((r, i) =>
    r.outcome === "deleted" && lingering.has(objects[i].metadata?.uid)
      ? { ...r, message: "Deletion requested; still terminating" }
      : r,
  );
}

/**
 * Objects of this instance that the current settings no longer produce (a removed volume,
 * registry auth or image cache): what `kubectl apply --prune` would delete. The namespace is never
 * pruned: turning "create namespace" off must not delete everything in it.
 */
export async function findStaleObjects(
  kc: KubeConfig,
  instance: Instance,
  wanted: ObjectRef[],
): Promise<KubernetesObject[]> {
  const key = (r: ObjectRef) => `${r.apiVersion}/${r.kind}/${r.namespace ?? ""}/${r.name}`;
  const keep = new Set(wanted.map(key));
  const live = await findInstanceObjects(kc, instance);
  // Apply order (dependencies first) reversed, as for uninstall: MANAGED_KINDS is already in that order.
  // Only what ask-ci created: a labelled object someone else made is never pruned.
  return live.filter((o) => o.kind !== "Namespace" && isOwnedBy(o, instance) && !keep.has(key(refOf(o))));
}

/** The objects still present when the time is up (a namespace waiting for its pods, finalizers). */
async function waitUntilGone(
  client: KubernetesObjectApi,
  objects: KubernetesObject[],
  timeoutMs: number,
): Promise<KubernetesObject[]> {
  const deadline = Date.now() + timeoutMs;
  let remaining = objects;
  while (remaining.length > 0 && Date.now() < deadline) {
    const still: KubernetesObject[] = [];
    for (const object of remaining) {
      try {
        await client.read({
          apiVersion: object.apiVersion!,
          kind: object.kind!,
          metadata: { name: object.metadata!.name!, namespace: object.metadata?.namespace },
        });
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
