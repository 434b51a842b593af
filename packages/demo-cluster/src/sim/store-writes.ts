import type { ClusterStore, KindRef, KubeObject } from "../types";

function errorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

export function isNotFound(error: unknown): boolean {
  return errorCode(error) === 404;
}

export function isConflictOrExists(error: unknown): boolean {
  return errorCode(error) === 409;
}

/**
 * Re-reads the object, lets `change` edit it and writes it back; a stale write (409) is
 * retried on a fresh read, as client-go's RetryOnConflict does. `change` returning false skips
 * the write. Returns the stored result, or undefined when the object is gone or was replaced
 * by another one of the same name (a different uid).
 */
export function mutate(
  store: ClusterStore,
  ref: KindRef,
  namespace: string | undefined,
  name: string,
  change: (object: KubeObject) => boolean | void,
  options: { status?: boolean; uid?: string } = {},
): KubeObject | undefined {
  for (let attempt = 0; attempt < 5; attempt++) {
    // The store hands out copies (as a client's GET would), so the read can be edited in place.
    const current = store.get(ref, namespace, name);
    if (!current || (options.uid && current.metadata.uid !== options.uid)) return undefined;
    if (change(current) === false) return current;
    try {
      return options.status ? store.updateStatus(current) : store.update(current);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (!isConflictOrExists(error)) throw error;
    }
  }
  return undefined;
}

/** Deletes, treating "already gone" as done. */
export function deleteQuietly(
  store: ClusterStore,
  ref: KindRef,
  namespace: string | undefined,
  name: string,
  options?: Parameters<ClusterStore["delete"]>[3],
): void {
  try {
    store.delete(ref, namespace, name, options);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
