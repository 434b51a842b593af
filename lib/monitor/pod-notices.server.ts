import "server-only";
import { kubeConfigForConnection } from "@/lib/connections/kube-client.server";
import { getApiJson } from "./kube-source.server";
import { NOTICE_REASONS, noticesFromEvents, type PodNotice } from "./pod-notices";
import { ALL_NAMESPACES } from "./validation";

/** One answer per cluster and namespace is reused this long: many viewers, one list per reason. */
const CACHE_MS = 5_000;
/** Events are kept an hour by default; more notices than this in one namespace is not a live view's concern. */
const LIMIT = 500;

const cache = globalThis as unknown as {
  askCiPodNoticeCache?: Map<string, { at: number; value: Promise<PodNotice[]> }>;
};
const notices = (cache.askCiPodNoticeCache ??= new Map());

async function fetchNotices(connectionId: string, namespace: string): Promise<PodNotice[]> {
  const kc = await kubeConfigForConnection(connectionId);
  const base =
    namespace === ALL_NAMESPACES ? "/api/v1/events" : `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
  // One list per reason: a field selector cannot say "this reason or that", and Warnings of other reasons can be many.
  const lists = await Promise.all(
    Object.keys(NOTICE_REASONS).map((reason) => {
      const query = new URLSearchParams({
        fieldSelector: `type=Warning,involvedObject.kind=Pod,reason=${reason}`,
        limit: String(LIMIT),
      });
      return getApiJson<{ items?: unknown }>(kc, `${base}?${query}`);
    }),
  );
  return lists.flatMap((list) => noticesFromEvents(list.items));
}

/**
 * The platform's warnings about pods of this cluster and namespace that are about to be ended
 * (lib/monitor/pod-notices.ts). Throws what the cluster answered (the route turns it into a status).
 */
export function podNotices(connectionId: string, namespace: string, now = Date.now()): Promise<PodNotice[]> {
  const key = `${connectionId} ${namespace}`;
  const hit = notices.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.value;
  const value = fetchNotices(connectionId, namespace);
  notices.set(key, { at: now, value });
  value.catch(() => notices.delete(key));
  return value;
}
