import type { PodSummary } from "./pod-summary";
import type { StreamMessage } from "./protocol";

/**
 * The one function that turns stream messages into the table's data: a snapshot replaces the
 * list, changes upsert by uid (keeping the row order) and delete by uid. Pure and idempotent:
 * replaying a batch, or a batch that overlaps a snapshot, leaves the same list.
 */
export function applyUpdate(list: readonly PodSummary[], message: StreamMessage): PodSummary[] {
  if (message.type === "snapshot") return message.pods;
  if (message.type !== "changes") return list as PodSummary[];
  if (message.upserts.length === 0 && message.deletes.length === 0) return list as PodSummary[];
  if (message.deletes.length === 0) {
    // The common batch (known rows changed): replace them where they are, in O(changes).
    const index = positionsOf(list);
    if (message.upserts.every((pod) => index.has(pod.uid))) {
      const next = list.slice();
      for (const pod of message.upserts) next[index.get(pod.uid)!] = pod;
      positions.set(next, index);
      return next;
    }
  }
  const upserts = new Map(message.upserts.map((pod) => [pod.uid, pod]));
  const deletes = new Set(message.deletes);
  const next: PodSummary[] = [];
  for (const pod of list) {
    if (deletes.has(pod.uid)) continue;
    const replacement = upserts.get(pod.uid);
    if (replacement) {
      next.push(replacement);
      upserts.delete(pod.uid);
    } else {
      next.push(pod);
    }
  }
  for (const pod of upserts.values()) if (!deletes.has(pod.uid)) next.push(pod);
  return next;
}

// uid → position in a list applyUpdate was given or returned. Lists are never mutated, so an index
// stays true for its list, and a list made by replacing rows in place shares its parent's. At 10,000
// rows this makes a batch of updates cost its own size instead of a pass over every row.
const positions = new WeakMap<readonly PodSummary[], Map<string, number>>();

function positionsOf(list: readonly PodSummary[]): Map<string, number> {
  let index = positions.get(list);
  if (!index) {
    index = new Map(list.map((pod, i) => [pod.uid, i]));
    positions.set(list, index);
  }
  return index;
}
