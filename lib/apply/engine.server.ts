import "server-only";
import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import type { KubeObject } from "@/lib/manifests";
import { apiErrorMessage, errorStatus, isUnservedKindMessage, unlessNotFound } from "@/lib/kube/api-error";
import { objectDiff } from "./live-view";
import { outcomeOf } from "./outcome";
import { isOwnedBy, withOwnerMark, type Owner } from "./ownership";
import { describeRef, refOf, type ApplyListener, type ObjectResult } from "./types";

export const FIELD_MANAGER = "ask-ci";

export interface ApplyOptions {
  /** The instance the objects belong to: what ask-ci creates is marked as its own (lib/apply/ownership). */
  owner: Owner;
  /** dryRun=All: the API server validates and defaults everything but stores nothing. */
  dryRun?: boolean;
  onEvent?: ApplyListener;
  signal?: AbortSignal;
}

/** The live object, or undefined when it does not exist (404). Other errors propagate. */
export async function readLive(client: KubernetesObjectApi, object: KubeObject): Promise<KubernetesObject | undefined> {
  return unlessNotFound(
    client.read({
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
    }),
  );
}

/**
 * Server-side applies `objects` in the given order (generateManifests' dependency order),
 * reporting each outcome as it happens. Stops at the first failure and marks the rest skipped:
 * later objects depend on earlier ones, and since apply is idempotent a retry after fixing the
 * cause redoes the whole list safely.
 *
 * Ownership: an object that does not exist is created carrying the instance's owner mark; one that
 * exists with the mark is updated with force=true (ask-ci owns it, so a field someone changed with
 * kubectl is taken back instead of failing with a conflict; the dry run shows it in the diff).
 * An existing object without the mark is never taken over: a namespace is used as it is, anything
 * else fails the apply (overwriting it would change, and uninstall would later delete, what someone
 * else made).
 */
export async function applyObjects(
  kc: KubeConfig,
  objects: KubeObject[],
  options: ApplyOptions,
): Promise<ObjectResult[]> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  const dryRun = options.dryRun ?? false;
  const results: ObjectResult[] = [];
  // Namespaces this run creates: in a dry run nothing in them can be checked by the server yet.
  const pendingNamespaces = new Set<string>();
  let failed = false;

  for (const [index, object] of objects.entries()) {
    const ref = refOf(object);
    let result: ObjectResult;
    if (failed || options.signal?.aborted) {
      result = {
        ref,
        outcome: "skipped",
        message: options.signal?.aborted ? "Cancelled" : "Not applied because an earlier object failed",
      };
    } else {
      result = await applyOne(client, withOwnerMark(object, options.owner), options.owner, dryRun, pendingNamespaces);
      if (result.outcome === "failed") failed = true;
      if (dryRun && object.kind === "Namespace" && result.outcome === "created")
        pendingNamespaces.add(object.metadata.name);
    }
    results.push(result);
    options.onEvent?.({ type: "object", index, result });
  }
  return results;
}

async function applyOne(
  client: KubernetesObjectApi,
  object: KubeObject,
  owner: Owner,
  dryRun: boolean,
  pendingNamespaces: Set<string>,
): Promise<ObjectResult> {
  const ref = refOf(object);
  try {
    const before = await readLive(client, object);
    if (before && !isOwnedBy(before, owner)) return notOurs(ref, object);
    if (!before && object.kind === "Namespace") return await createNamespace(client, object, dryRun);
    if (dryRun && !before && ref.namespace && pendingNamespaces.has(ref.namespace)) {
      return {
        ref,
        outcome: "created",
        diff: objectDiff(describeRef(ref), undefined, object),
        message: `Checked once namespace ${ref.namespace} exists`,
      };
    }
    const after = await client.patch(
      object as KubernetesObject,
      undefined,
      dryRun ? "All" : undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
    const diff = objectDiff(describeRef(ref), before, after);
    return dryRun ? { ref, outcome: outcomeOf(before, diff), diff } : { ref, outcome: outcomeOf(before, diff) };
  } catch (error) {
    return { ref, outcome: "failed", message: failureMessage(object, error) };
  }
}

function notOurs(ref: ObjectResult["ref"], object: KubeObject): ObjectResult {
  if (object.kind === "Namespace")
    return { ref, outcome: "kept", message: "Exists and was not created by ask-ci: used as it is, never deleted" };
  return {
    ref,
    outcome: "failed",
    message: `${describeRef(ref)} exists and was not created by ask-ci for this runner; ask-ci does not take over objects it did not create. Choose another instance name (or secret name), or remove it yourself.`,
  };
}

/**
 * A namespace is created with POST, not server-side apply: the API server refuses a POST when the
 * name exists (409), so a namespace someone else created between our read and our write is never
 * adopted. For a namespace that matters most: deleting it deletes everything in it.
 */
async function createNamespace(
  client: KubernetesObjectApi,
  object: KubeObject,
  dryRun: boolean,
): Promise<ObjectResult> {
  const ref = refOf(object);
  try {
    const created = await client.create(
      object as KubernetesObject,
      undefined,
      dryRun ? "All" : undefined,
      FIELD_MANAGER,
    );
    return { ref, outcome: "created", ...(dryRun ? { diff: objectDiff(describeRef(ref), undefined, created) } : {}) };
  } catch (error) {
    if (errorStatus(error) === 409) return notOurs(ref, object);
    throw error;
  }
}

function failureMessage(object: KubeObject, error: unknown): string {
  const message = apiErrorMessage(error);
  if (isUnservedKindMessage(message)) {
    return `The cluster does not serve ${object.apiVersion} ${object.kind}${object.kind === "ImageCache" ? " (ASK installs it with the virtual node; on other clusters leave the image cache out)" : ""}: ${message}`;
  }
  return message;
}
