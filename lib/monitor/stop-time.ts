/**
 * When a pod's containers were stopped, from its Kubernetes events (untrusted cluster data): the
 * latest "Killing" event, which the kubelet records as it stops a container for a deletion
 * (pkg/kubelet/events: "Killing", "Stopping container …"). Used for a job pod that ended while
 * nobody watched (an API-server outage, a dashboard restart), where the pod itself is gone.
 * Events live one hour by default (kube-apiserver --event-ttl): after a longer absence there is
 * nothing to read, and the caller falls back to when it saw the pod gone.
 */
export function stoppedAtFromEvents(events: unknown, notBefore: number | null = null): Date | null {
  if (!Array.isArray(events)) return null;
  let latest: number | null = null;
  for (const event of events) {
    if (!event || typeof event !== "object") continue;
    const { reason } = event as { reason?: unknown };
    if (reason !== "Killing") continue;
    const at = eventTime(event as Record<string, unknown>);
    if (at === null || (notBefore !== null && at < notBefore)) continue;
    if (latest === null || at > latest) latest = at;
  }
  return latest === null ? null : new Date(latest);
}

// core/v1 Event: lastTimestamp (deduplicated series), else eventTime (events.k8s.io writers), else firstTimestamp.
function eventTime(event: Record<string, unknown>): number | null {
  for (const field of ["lastTimestamp", "eventTime", "firstTimestamp"]) {
    const value = event[field];
    if (typeof value !== "string") continue;
    const ms = Date.parse(value);
    // Plausible times only: a hostile or broken value must not bill a job for centuries.
    if (Number.isFinite(ms) && ms > Date.UTC(2000, 0, 1) && ms < Date.now() + 86_400_000) return ms;
  }
  return null;
}
