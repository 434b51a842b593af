import "server-only";
import { db } from "@/lib/db.server";
import type { Pod } from "@/lib/kube/pod";
import { podFromApi } from "@/lib/kube/pod-input";
import { ALL_NAMESPACES } from "./validation";

/**
 * What the job recorder knows about job pods that have not ended yet, kept in the database
 * (OpenJobPod) so that a pod that ends while nobody watches — the dashboard restarting, another
 * replica taking over the recording, the API server away — is still recorded on resume, from its
 * last known state. Writes are coalesced per pod and flushed together (at most every
 * `flushMs`), so a burst of pod updates is one transaction, not one write each.
 */
export interface OpenJobPods {
  /** The pod as last seen, not ended yet. */
  remember(connectionId: string, pod: Pod, seenAt: Date): void;
  /** Recorded (or no longer worth recording): drop it. */
  forget(podUid: string): void;
  /** The remembered pods of a connection in one namespace (or all of them), pending writes included. */
  openIn(connectionId: string, namespace: string): Promise<Pod[]>;
  /** Writes what is pending now. */
  flush(): Promise<void>;
}

interface Pending {
  connectionId: string;
  namespace: string;
  pod: string;
  lastSeenAt: Date;
}

// Rows per transaction: small enough that one flush never holds SQLite's write lock for long.
const CHUNK = 200;

export class DatabaseOpenJobPods implements OpenJobPods {
  private readonly upserts = new Map<string, Pending>();
  private readonly deletes = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly flushMs = 1_000) {}

  remember(connectionId: string, pod: Pod, seenAt: Date): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    this.deletes.delete(uid);
    this.upserts.set(uid, {
      connectionId,
      namespace: pod.metadata?.namespace ?? "",
      pod: JSON.stringify(pod),
      lastSeenAt: seenAt,
    });
    this.schedule();
  }

  forget(podUid: string): void {
    this.upserts.delete(podUid);
    this.deletes.add(podUid);
    this.schedule();
  }

  async openIn(connectionId: string, namespace: string): Promise<Pod[]> {
    await this.flush();
    const rows = await db.openJobPod.findMany({
      where: { connectionId, ...(namespace === ALL_NAMESPACES ? {} : { namespace }) },
      select: { pod: true },
    });
    const pods: Pod[] = [];
    for (const row of rows) {
      try {
        const pod = podFromApi(JSON.parse(row.pod));
        if (pod) pods.push(pod);
      } catch {
        // Written by us from a parsed pod; unreadable only if the row was damaged: skip it.
      }
    }
    return pods;
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // One flush at a time, in order: a forget must not overtake the remember it cancels. A failed
    // flush is its caller's to report; the next one still writes (what failed was kept for it).
    this.flushing = this.flushing.catch(() => undefined).then(() => this.write());
    return this.flushing;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((error: Error) => console.warn(`job recorder: open job pods not saved: ${error.message}`));
    }, this.flushMs);
    this.timer.unref?.();
  }

  private async write(): Promise<void> {
    const upserts = [...this.upserts];
    const deletes = [...this.deletes];
    this.upserts.clear();
    this.deletes.clear();
    try {
      for (let i = 0; i < deletes.length; i += CHUNK) {
        await db.openJobPod.deleteMany({ where: { podUid: { in: deletes.slice(i, i + CHUNK) } } });
      }
      // A connection removed meanwhile takes its rows with it (cascade): none to write for it.
      const connectionIds = [...new Set(upserts.map(([, row]) => row.connectionId))];
      const existing = new Set(
        (await db.connection.findMany({ where: { id: { in: connectionIds } }, select: { id: true } })).map((c) => c.id),
      );
      const rows = upserts.filter(([, row]) => existing.has(row.connectionId));
      for (let i = 0; i < rows.length; i += CHUNK) {
        await db.$transaction(
          rows.slice(i, i + CHUNK).map(([podUid, row]) =>
            db.openJobPod.upsert({
              where: { podUid },
              create: { podUid, ...row },
              update: { namespace: row.namespace, pod: row.pod, lastSeenAt: row.lastSeenAt },
            }),
          ),
        );
      }
    } catch (error) {
      // Kept for the next flush, unless newer news about the same pod arrived meanwhile.
      for (const [uid, row] of upserts)
        if (!this.upserts.has(uid) && !this.deletes.has(uid)) this.upserts.set(uid, row);
      for (const uid of deletes) if (!this.upserts.has(uid)) this.deletes.add(uid);
      throw error;
    }
  }
}
