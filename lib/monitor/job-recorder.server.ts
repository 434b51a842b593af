import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { loadConnectionPricing } from "@/lib/cost/connection-pricing.server";
import { db } from "@/lib/db.server";
import { isJobPod, podCreatedAt, type Pod } from "@/lib/kube/pod";
import { jobEndOf, jobRecordData, storableJobRecord, storablePodUid, type JobEnd } from "@/lib/job-history/record";
import { kubeConfigForConnection } from "@/lib/connections/kube-client.server";
import type { AccessAnswer } from "@/lib/connections/permissions";
import { podWatchScope } from "@/lib/connections/pod-scope.server";
import type { LeaderElection } from "@/lib/leader/election";
import { leadJobRecorder } from "@/lib/leader/recorder-leadership.server";
import { metrics } from "@/lib/observability/metrics";
import { getApiJson } from "./kube-source.server";
import { DatabaseOpenJobPods, type OpenJobPods } from "./open-job-pods.server";
import type { Lease } from "./shared-resource";
import { stoppedAtFromEvents } from "./stop-time";
import { podStreams, type PodStreamRegistry, type StreamTarget } from "./streams.server";
import { ALL_NAMESPACES, DEFAULT_NAMESPACE } from "./validation";
import type { CacheReader, CacheView } from "./namespace-view";
import type { CacheEvent } from "./watch-cache";

/**
 * Writes the JobRecord of a job pod's end. Idempotent on the pod uid: the unique constraint
 * decides, so a second observation, a restart or another replica racing us changes nothing.
 * Returns true when this call created the row. A pod whose values the database cannot hold
 * (lib/job-history/record's storableJobRecord) is refused with an error naming it.
 */
export async function recordJobEnd(pod: Pod, end: JobEnd, connectionId: string): Promise<boolean> {
  if (!pod.metadata?.uid) return false;
  const podUid = storablePodUid(pod.metadata.uid);
  if (await db.jobRecord.findUnique({ where: { podUid }, select: { id: true } })) return false;
  // Each connection is priced with its own book and default backend, as the live monitor prices it.
  const { book, defaultBackend } = await loadConnectionPricing(connectionId);
  const storable = storableJobRecord(jobRecordData(pod, end, connectionId, book, { defaultBackend }));
  if (!storable.ok) throw new Error(`job pod ${describePod(pod)} not recorded: ${storable.problem}`);
  const data = storable.data;
  try {
    await db.jobRecord.create({ data });
    metrics().jobRecordsWritten.inc();
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    // P2002: recorded already (another replica, a restart). P2003: the connection was deleted while
    // its watch was still being stopped; there is nothing to attach the record to.
    if (code === "P2002" || code === "P2003") return false;
    // The driver's message can quote SQL and values: say what failed, not how the database put it.
    throw new Error(`job pod ${describePod(pod)} not recorded: database error ${code ?? "(no code)"}`);
  }
}

function describePod(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ""}/${pod.metadata?.name ?? pod.metadata?.uid ?? "?"}`.slice(0, 300);
}

/**
 * Namespaces where a connection's runner profiles put their job pods, plus the default one (where
 * Helm installs and the demo cluster's runner run): the fallback when the recorder may not watch
 * every namespace. A draft without a namespace yet adds nothing.
 */
export async function monitoredNamespaces(connectionId: string): Promise<string[]> {
  const profiles = await db.runnerProfile.findMany({ where: { connectionId }, select: { settings: true } });
  const namespaces = new Set<string>([DEFAULT_NAMESPACE]);
  for (const profile of profiles) {
    try {
      const namespace = (JSON.parse(profile.settings) as { cluster?: { namespace?: unknown } }).cluster?.namespace;
      if (typeof namespace === "string" && namespace) namespaces.add(namespace);
    } catch {
      // A draft with unparsable settings has no namespace yet.
    }
  }
  return [...namespaces].sort();
}

/**
 * Where the recorder watches a connection's job pods. A runner's jobs run in whatever namespace
 * its config.toml names (a wizard profile, a Helm install, a hand-written Deployment), so every
 * namespace when the credentials may list and watch pods cluster-wide; only when they may not,
 * the namespaces we know of.
 */
export async function recorderNamespaces(connectionId: string, everywhere: AccessAnswer): Promise<string[]> {
  return everywhere === "denied" ? monitoredNamespaces(connectionId) : [ALL_NAMESPACES];
}

/**
 * When a job pod that ended while nobody watched was stopped: its latest "Killing" event
 * (lib/monitor/stop-time.ts), or null when the cluster has none (events expire after an hour).
 */
export async function stoppedAtFromApi(kc: KubeConfig, pod: Pod): Promise<Date | null> {
  const uid = pod.metadata?.uid ?? "";
  const namespace = pod.metadata?.namespace ?? "";
  // Cluster data: only a uid and namespace that look like ones go into the query.
  if (!/^[0-9A-Za-z-]{1,64}$/.test(uid) || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) return null;
  const query = new URLSearchParams({ fieldSelector: `involvedObject.uid=${uid}`, limit: "200" });
  const events = await getApiJson<{ items?: unknown }>(kc, `/api/v1/namespaces/${namespace}/events?${query}`);
  return stoppedAtFromEvents(events.items, podCreatedAt(pod));
}

async function stoppedAtFromCluster(connectionId: string, pod: Pod): Promise<Date | null> {
  return stoppedAtFromApi(await kubeConfigForConnection(connectionId), pod);
}

export interface JobRecorderDeps {
  registry: PodStreamRegistry;
  targets: () => Promise<StreamTarget[]>;
  record?: (pod: Pod, end: JobEnd, connectionId: string) => Promise<boolean>;
  /** What it knew about job pods not ended yet, across restarts (the database by default). */
  openPods?: OpenJobPods;
  /** When a job pod that ended unobserved was stopped; null when unknown (stoppedAtFromCluster by default). */
  stoppedAt?: (connectionId: string, pod: Pod) => Promise<Date | null>;
  now?: () => Date;
  onError?: (message: string) => void;
}

/**
 * What about a job pod makes its remembered copy worth rewriting: the state its end will be
 * classified from (phase, reasons, deletion, each container's state and finish).
 */
function stateFingerprint(pod: Pod): string {
  const containers = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return JSON.stringify([
    pod.status?.phase,
    pod.status?.reason,
    pod.metadata?.deletionTimestamp,
    containers.map((c) => [c.name, Object.keys(c.state ?? {})[0], c.state?.terminated?.finishedAt]),
  ]);
}

interface Watched {
  lease: Lease<CacheView<Pod>>;
  unsubscribe: () => void;
}

/**
 * Holds a job-pod cache for every (connection, namespace) whether or not anyone views the
 * monitor (the one the monitor's streams share), and records each job pod's end. `reconcile` picks up added and removed connections.
 */
export class JobRecorder {
  private readonly watched = new Map<string, Watched>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private reconciling: Promise<void> | null = null;
  private rerun: Promise<void> | null = null;
  private readonly record: NonNullable<JobRecorderDeps["record"]>;
  private readonly openPods: OpenJobPods;
  private readonly stoppedAt: NonNullable<JobRecorderDeps["stoppedAt"]>;
  private readonly now: () => Date;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** uid → state fingerprint of the copy remembered in openPods. */
  private readonly remembered = new Map<string, string>();
  /** Pods whose unobserved end is being worked out (a relist and a resume can both find one). */
  private readonly ending = new Set<string>();

  constructor(private readonly deps: JobRecorderDeps) {
    this.record = deps.record ?? recordJobEnd;
    this.openPods = deps.openPods ?? new DatabaseOpenJobPods();
    this.stoppedAt = deps.stoppedAt ?? stoppedAtFromCluster;
    this.now = deps.now ?? (() => new Date());
  }

  start(intervalMs = 30_000): void {
    if (this.timer) return;
    void this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), intervalMs);
    this.timer.unref?.();
  }

  /** Resolves when every write already started has finished (shutdown, hand-over). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.openPods.flush().catch((error: Error) => this.deps.onError?.(`job recorder: ${error.message}`));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const watched of this.watched.values()) {
      watched.unsubscribe();
      watched.lease.release();
    }
    this.watched.clear();
  }

  targets(): string[] {
    return [...this.watched.keys()];
  }

  /**
   * The job pods of a connection that have not ended, as its watches hold them now; null unless
   * every watch of the connection is live. While a watch is still listing (the dashboard has just
   * started, or taken over the recording) or reconnecting (the cluster went away), what it holds
   * may describe pods that have ended since: alerts must not be decided on it.
   */
  liveJobPods(connectionId: string): Pod[] | null {
    const caches = [...this.watched]
      .filter(([key]) => (JSON.parse(key) as [string, string])[0] === connectionId)
      .map(([, watched]) => watched.lease.value);
    if (caches.length === 0 || caches.some((cache) => !cache.hasSynced || cache.status.state !== "live")) return null;
    const now = this.now();
    // Views of one shared cache never overlap as the recorder picks them (all namespaces, or
    // distinct ones); keyed by uid anyway, so a pod is never counted twice.
    const pods = new Map<string, Pod>();
    for (const cache of caches)
      for (const pod of cache.list())
        if (pod.metadata?.uid && isJobPod(pod) && !jobEndOf(pod, false, now)) pods.set(pod.metadata.uid, pod);
    return [...pods.values()];
  }

  /**
   * Starts watching new targets and stops watching removed ones. A call during a run gets one more
   * run after it (that run may have read the targets before the change the caller just made);
   * calls meanwhile share it.
   */
  reconcile(): Promise<void> {
    if (this.reconciling) {
      this.rerun ??= this.reconciling.then(() => {
        this.rerun = null;
        return this.reconcile();
      });
      return this.rerun;
    }
    this.reconciling = this.doReconcile().finally(() => (this.reconciling = null));
    return this.reconciling;
  }

  private async doReconcile(): Promise<void> {
    let targets: StreamTarget[];
    try {
      targets = await this.deps.targets();
    } catch (error) {
      this.deps.onError?.(`job recorder: cannot list connections: ${(error as Error).message}`);
      return;
    }
    const wanted = new Map(targets.map((t) => [JSON.stringify([t.connectionId, t.namespace]), t]));
    for (const [key, watched] of this.watched) {
      if (wanted.has(key)) continue;
      watched.unsubscribe();
      watched.lease.release();
      this.watched.delete(key);
    }
    for (const [key, target] of wanted) {
      if (this.watched.has(key)) continue;
      // The raw pods only (no row summaries): the cache a namespace's monitor stream shares.
      const lease = this.deps.registry.acquireCache(target);
      const cache = lease.value;
      const unsubscribe = cache.subscribe((event) =>
        event.type === "synced" ? this.resume(target, cache) : this.onEvent(event, target.connectionId),
      );
      // Pods already finished when we start are recorded too (a restart must not lose them).
      for (const pod of cache.list()) this.onEvent({ type: "add", object: pod }, target.connectionId);
      // A stream a viewer opened earlier has listed already: no "synced" is coming for a while.
      if (cache.hasSynced) this.resume(target, cache);
      this.watched.set(key, { lease, unsubscribe });
    }
  }

  /** One pod at a time: whatever goes wrong with it is logged, and the next pod is recorded as usual. */
  private onEvent(event: CacheEvent<Pod>, connectionId: string): void {
    if (event.type !== "add" && event.type !== "update" && event.type !== "delete") return;
    const pod = event.object;
    try {
      if (event.type === "delete" && event.unobserved) return this.endUnobserved(pod, connectionId);
      const end = jobEndOf(pod, event.type === "delete", this.now());
      if (end) return this.track(this.writeEnd(pod, end, connectionId));
      if (event.type !== "delete") this.remember(pod, connectionId);
    } catch (error) {
      this.deps.onError?.(`job recorder: job pod ${describePod(pod)}: ${(error as Error).message}`);
    }
  }

  private track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: Error) => this.deps.onError?.(`job recorder: ${error.message}`))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async writeEnd(pod: Pod, end: JobEnd, connectionId: string): Promise<void> {
    await this.record(pod, end, connectionId);
    // Recorded now or before: nothing left to remember.
    const uid = pod.metadata!.uid!;
    this.remembered.delete(uid);
    this.openPods.forget(uid);
  }

  /** A running job pod's state, kept so that its end can be recorded even if nobody sees it. */
  private remember(pod: Pod, connectionId: string): void {
    const uid = pod.metadata?.uid;
    if (!uid || !isJobPod(pod)) return;
    const fingerprint = stateFingerprint(pod);
    if (this.remembered.get(uid) === fingerprint) return;
    this.remembered.set(uid, fingerprint);
    this.openPods.remember(connectionId, pod, this.now());
  }

  /**
   * A job pod that ended while nobody watched (gone in a relist, or remembered but no longer in
   * the cluster): recorded from its last known state, stopped when its events say, else when seen gone.
   */
  private endUnobserved(pod: Pod, connectionId: string): void {
    const uid = pod.metadata?.uid;
    if (!uid || !isJobPod(pod) || this.ending.has(uid)) return;
    this.ending.add(uid);
    const seenGone = this.now();
    this.track(
      (async () => {
        let stopped: Date | null = null;
        try {
          stopped = await this.stoppedAt(connectionId, pod);
        } catch {
          // No events to read (no right to, or the cluster away again): when it was seen gone.
        }
        const end = jobEndOf(pod, true, stopped && stopped < seenGone ? stopped : seenGone);
        if (end) await this.writeEnd(pod, end, connectionId);
      })().finally(() => this.ending.delete(uid)),
    );
  }

  /**
   * After each full list of a target (start, reconnect, relist after 410): the job pods it
   * remembered there that the cluster no longer has ended meanwhile — a restart or a hand-over
   * between replicas included, where nothing in memory knew them.
   */
  private resume(target: StreamTarget, cache: CacheReader<Pod>): void {
    this.track(
      this.openPods.openIn(target.connectionId, target.namespace).then((open) => {
        for (const pod of open) {
          // Checked now, not against a copy taken before the read: a pod added meanwhile is not gone.
          if (!cache.get(pod.metadata!.uid!)) this.endUnobserved(pod, target.connectionId);
        }
      }),
    );
  }
}

const globalRecorder = globalThis as unknown as {
  askCiJobRecorder?: JobRecorder;
  askCiRecorderElection?: LeaderElection;
};

/** Starts the process-wide recorder (idempotent); called from onServerStart. */
export function startJobRecorder(): JobRecorder {
  if (!globalRecorder.askCiJobRecorder) {
    globalRecorder.askCiJobRecorder = new JobRecorder({
      registry: podStreams(),
      openPods: new DatabaseOpenJobPods(),
      targets: async () => {
        const connections = await db.connection.findMany({ where: { archivedAt: null }, select: { id: true } });
        // One cluster that does not answer must not hold up the others.
        const perConnection = await Promise.all(
          connections.map(async ({ id }) =>
            (await recorderNamespaces(id, await podWatchScope(id))).map((namespace) => ({
              connectionId: id,
              namespace,
            })),
          ),
        );
        return perConnection.flat();
      },
      onError: (message) => console.warn(message),
    });
    // Records only while this replica is the elected single writer (lib/leader/recorder-leadership.server.ts).
    globalRecorder.askCiRecorderElection = leadJobRecorder(globalRecorder.askCiJobRecorder);
  }
  return globalRecorder.askCiJobRecorder;
}

/**
 * True while this replica is the elected single writer (lib/leader): the GitLab link's sync and
 * backfill write job records too, so they run only here.
 */
export function isJobRecordWriter(): boolean {
  return globalRecorder.askCiRecorderElection?.isLeader() ?? false;
}

/**
 * The live job pods of a connection (JobRecorder.liveJobPods) on the replica that records jobs;
 * null elsewhere (a standby replica watches nothing) or while the connection's watches are not live.
 */
export function liveJobPodsOf(connectionId: string): Pod[] | null {
  if (!isJobRecordWriter()) return null;
  return globalRecorder.askCiJobRecorder?.liveJobPods(connectionId) ?? null;
}

/**
 * For the connections code: after adding, re-crediting or removing a connection, so the recorder
 * follows now rather than at its next 30-second check. Not awaited by callers: a slow cluster
 * elsewhere must not hold up the form; errors are the recorder's to log.
 */
export function reconcileJobRecorder(): Promise<void> {
  const recorder = globalRecorder.askCiJobRecorder;
  // A standby replica does not record (the leader does): nothing to follow.
  if (!recorder || !globalRecorder.askCiRecorderElection?.isLeader()) return Promise.resolve();
  return recorder.reconcile().catch((error: Error) => console.warn(`job recorder: ${error.message}`));
}
