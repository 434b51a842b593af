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
