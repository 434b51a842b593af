import type { KubeObject } from "@/lib/manifests";

/**
 * Written by the apply engine only when it creates an object, never by the generated manifests
 * (a downloaded YAML applied with kubectl is not ask-ci's creation). Uninstall and pruning delete
 * only objects carrying it for their instance: labels alone are not ownership, since applying
 * into an existing namespace would otherwise label it, and uninstall would delete it with
 * everything in it.
 */
export const OWNER_ANNOTATION = "ask-ci.io/owner";

/** Label the real gitlab-runner puts on every job pod it creates (executors/kubernetes buildLabels). */
export const RUNNER_NAME_LABEL = "manager.runner.gitlab.com/name";

export interface Owner {
  namespace: string;
  instanceName: string;
}

/** "gitlab-ci/runner-a": the instance name alone is not unique across namespaces. */
export function ownerKey(owner: Owner): string {
  return `${owner.namespace}/${owner.instanceName}`;
}

interface MetadataLike {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    deletionTimestamp?: unknown;
    annotations?: Record<string, string> | null;
    labels?: Record<string, string> | null;
    ownerReferences?: Array<{ apiVersion?: string; kind?: string; uid?: string }> | null;
  };
}

/** Whether ask-ci created this live object for this instance. */
export function isOwnedBy(object: MetadataLike | undefined, owner: Owner): boolean {
  return object?.metadata?.annotations?.[OWNER_ANNOTATION] === ownerKey(owner);
}

/** The object as ask-ci applies it: the generated manifest plus the ownership mark. */
export function withOwnerMark<T extends KubeObject>(object: T, owner: Owner): T {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      annotations: { ...object.metadata.annotations, [OWNER_ANNOTATION]: ownerKey(owner) },
    },
  };
}

export interface NamespaceObject extends MetadataLike {
  apiVersion?: string;
  kind?: string;
  type?: string;
}

/**
 * Objects in a namespace that the cluster itself puts in every namespace: deleting the namespace
 * takes nothing from anyone by removing them.
 */
function isClusterDefault(object: NamespaceObject): boolean {
  const name = object.metadata?.name;
  if (object.kind === "ServiceAccount") return name === "default";
  if (object.kind === "ConfigMap") return name === "kube-root-ca.crt";
  if (object.kind === "Secret" && object.type === "kubernetes.io/service-account-token")
    return object.metadata?.annotations?.["kubernetes.io/service-account.name"] === "default";
  return false;
}

/**
 * What in a namespace ask-ci did not create for this instance, and would take with it if it
 * deleted the namespace. Ours: objects carrying the instance's mark, objects owned (ownerReferences,
 * transitively) by ours (ReplicaSets and pods of the runner Deployment), the job pods the
 * instance's runner started (and what they own), and the cluster's per-namespace defaults.
 * A service-account token counts as ours when its account is. Objects already being deleted
 * (the runner's pods after its ReplicaSet went) are gone whatever happens to the namespace, and so
 * are objects whose every owner is a namespaced object no longer there: the garbage collector
 * deletes them (`namespacedKinds`, "apps/v1/ReplicaSet", says which owner kinds live in the namespace).
 */
export function foreignObjects(
  objects: NamespaceObject[],
  owner: Owner,
  runnerName?: string,
  namespacedKinds: ReadonlySet<string> = new Set(),
): NamespaceObject[] {
  const present = new Set(objects.map((o) => o.metadata?.uid).filter((uid) => uid !== undefined));
  const collected = (o: NamespaceObject) => {
    const owners = o.metadata?.ownerReferences ?? [];
    return (
      owners.length > 0 &&
      owners.every(
        (ref) => namespacedKinds.has(`${ref.apiVersion}/${ref.kind}`) && ref.uid !== undefined && !present.has(ref.uid),
      )
    );
  };
  const ours = new Set<string>();
  const oursByName = new Set<string>();
  const directlyOurs = (o: NamespaceObject) =>
    isOwnedBy(o, owner) ||
    Boolean(o.metadata?.deletionTimestamp) ||
    collected(o) ||
    isClusterDefault(o) ||
    (runnerName !== undefined && o.metadata?.labels?.[RUNNER_NAME_LABEL] === runnerName);
  for (const o of objects) {
    if (!directlyOurs(o)) continue;
    if (o.metadata?.uid) ours.add(o.metadata.uid);
    oursByName.add(`${o.kind}/${o.metadata?.name}`);
  }
  let remaining = objects.filter((o) => !directlyOurs(o));
  // Owner chains are short (Deployment → ReplicaSet → Pod), so a few passes reach the fixpoint.
  for (let changed = true; changed;) {
    changed = false;
    const still: NamespaceObject[] = [];
    for (const o of remaining) {
      const owners = o.metadata?.ownerReferences ?? [];
      const tokenOf = o.metadata?.annotations?.["kubernetes.io/service-account.name"];
      const belongs =
        (owners.length > 0 && owners.some((ref) => ref.uid !== undefined && ours.has(ref.uid))) ||
        (o.kind === "Secret" &&
          o.type === "kubernetes.io/service-account-token" &&
          oursByName.has(`ServiceAccount/${tokenOf}`));
      if (belongs) {
        if (o.metadata?.uid) ours.add(o.metadata.uid);
        oursByName.add(`${o.kind}/${o.metadata?.name}`);
        changed = true;
      } else still.push(o);
    }
    remaining = still;
  }
  return remaining;
}

/** "ConfigMap bystander, Pod web-1 and 3 more" for a message about what keeps a namespace. */
export function describeObjects(objects: NamespaceObject[], shown = 5): string {
  const names = objects.slice(0, shown).map((o) => `${o.kind} ${o.metadata?.name ?? "?"}`);
  const more = objects.length - names.length;
  return more > 0 ? `${names.join(", ")} and ${more} more` : names.join(", ");
}
