import "server-only";
import { loadConnectionPricing } from "@/lib/cost/connection-pricing.server";
import { db } from "@/lib/db.server";
import type { Pod } from "@/lib/kube/pod";
import { jobEndOf, jobRecordData, storableJobRecord, storablePodUid, type JobEnd } from "@/lib/job-history/record";
import type { AccessAnswer } from "@/lib/connections/permissions";
import { podWatchScope } from "@/lib/connections/pod-scope.server";
import type { LeaderElection } from "@/lib/leader/election";
import { leadJobRecorder } from "@/lib/leader/recorder-leadership.server";
import { metrics } from "@/lib/observability/metrics";
import type { Lease } from "./shared-resource";
import { podStreams, type PodStreamRegistry, type StreamTarget } from "./streams.server";
import type { PodStream } from "./pod-stream";
import { ALL_NAMESPACES, DEFAULT_NAMESPACE } from "./validation";
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

export interface JobRecorderDeps {
  registry: PodStreamRegistry;
  targets: () => Promise<StreamTarget[]>;
  record?: (pod: Pod, end: JobEnd, connectionId: string) => Promise<boolean>;
  onError?: (message: string) => void;
}

interface Watched {
  lease: Lease<PodStream>;
  unsubscribe: () => void;
}

/**
 * Holds a job-pod stream for every (connection, namespace) whether or not anyone views the
 * monitor, and records each job pod's end. `reconcile` picks up added and removed connections.
 */
export class JobRecorder {
  private readonly watched = new Map<string, Watched>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private reconciling: Promise<void> | null = null;
  private rerun: Promise<void> | null = null;
  private readonly record: NonNullable<JobRecorderDeps["record"]>;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: JobRecorderDeps) {
    this.record = deps.record ?? recordJobEnd;
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
      const lease = await this.deps.registry.acquire(target);
      const unsubscribe = lease.value.cache.subscribe((event) => this.onEvent(event, target.connectionId));
      // Pods already finished when we start are recorded too (a restart must not lose them).
      for (const pod of lease.value.cache.list()) this.onEvent({ type: "add", object: pod }, target.connectionId);
      this.watched.set(key, { lease, unsubscribe });
    }
  }

  /** One pod at a time: whatever goes wrong with it is logged, and the next pod is recorded as usual. */
  private onEvent(event: CacheEvent<Pod>, connectionId: string): void {
    if (event.type !== "add" && event.type !== "update" && event.type !== "delete") return;
    try {
      const end = jobEndOf(event.object, event.type === "delete", new Date());
      if (!end) return;
      const write = this.record(event.object, end, connectionId)
        .catch((error: Error) => this.deps.onError?.(`job recorder: ${error.message}`))
        .finally(() => this.inFlight.delete(write));
      this.inFlight.add(write);
    } catch (error) {
      this.deps.onError?.(`job recorder: job pod ${describePod(event.object)}: ${(error as Error).message}`);
    }
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
