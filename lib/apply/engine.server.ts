import "server-only";
import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import type { KubeObject } from "@/lib/manifests";
import { apiErrorMessage, isUnservedKindMessage, unlessNotFound } from "@/lib/kube/api-error";
import { objectDiff } from "./live-view";
import { outcomeOf } from "./outcome";
import { describeRef, refOf, type ApplyListener, type ObjectResult } from "./types";

export const FIELD_MANAGER = "ask-ci";

export interface ApplyOptions {
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
 * force=true: ask-ci is the owner of these objects, so a field someone changed with kubectl is
 * taken back instead of failing the apply with a conflict (the dry run shows it in the diff).
 */
export async function applyObjects(
  kc: KubeConfig,
  objects: KubeObject[],
  options: ApplyOptions = {},
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
      result = await applyOne(client, object, dryRun, pendingNamespaces);
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
  dryRun: boolean,
  pendingNamespaces: Set<string>,
): Promise<ObjectResult> {
  const ref = refOf(object);
  try {
    const before = await readLive(client, object);
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

function failureMessage(object: KubeObject, error: unknown): string {
  const message = apiErrorMessage(error);
  if (isUnservedKindMessage(message)) {
    return `The cluster does not serve ${object.apiVersion} ${object.kind}${object.kind === "ImageCache" ? " (ASK installs it with the virtual node; on other clusters leave the image cache out)" : ""}: ${message}`;
  }
  return message;
}
