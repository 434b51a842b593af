import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { cachedJson } from "./json-cache";
import type { HistoryEvent, MemoryStore, Snapshot } from "./store";
import type { KubeObject } from "./types";

/** JSON of a snapshot, reusing each object's cached serialization (same key as the API's). */
function snapshotJson(snap: Snapshot): string {
  const obj = (o: KubeObject) => cachedJson(o, o.apiVersion);
  const ev = (e: HistoryEvent) =>
    `{"rv":${e.rv},"type":"${e.type}","storageKey":${JSON.stringify(e.storageKey)},"obj":${obj(e.obj)}${e.prev ? `,"prev":${obj(e.prev)}` : ""}}`;
  return `{"version":1,"resourceVersion":${snap.resourceVersion},"historyFloor":${snap.historyFloor},"objects":[${snap.objects.map(obj).join(",")}],"history":[${snap.history.map(ev).join(",")}]}`;
}

const FILE = "state.json";

/** Reads the snapshot a previous run left in the state dir, if any. */
export function readSnapshot(stateDir: string): Snapshot | undefined {
  const file = path.join(stateDir, FILE);
  if (!existsSync(file)) return undefined;
  try {
    const snap = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
    return snap.version === 1 && Array.isArray(snap.objects) ? snap : undefined;
  } catch (e) {
    console.error(`demo-cluster: ignoring unreadable ${file}: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * Writes the store to the state dir shortly after changes (debounced, so a busy cluster writes
 * at most every `delayMs`, or ten times as long as a write takes) and once more on close. Writes go
 * to a temp file renamed into place, so a crash never leaves half a snapshot. The JSON is built
 * synchronously (a consistent view of the store) but written to disk asynchronously: at 10,000 pods
 * the file is ~35 MB, and a synchronous write on a busy disk stalled every watch for 100–300 ms.
 */
export class Persister {
  private timer?: NodeJS.Timeout;
  private dirty = false;
  private delay: number;
  /** The asynchronous write in progress, if any; close() supersedes it. */
  private writing?: Promise<void>;
  private closed = false;
  private tmpSeq = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: MemoryStore,
    private readonly stateDir: string,
    private readonly delayMs = 1000,
  ) {
    mkdirSync(stateDir, { recursive: true });
    this.delay = delayMs;
    this.unsubscribe = store.onChange(() => this.schedule());
  }

  private get file(): string {
    return path.join(this.stateDir, FILE);
  }

  private nextTmp(): string {
    return `${this.file}.${process.pid}.${this.tmpSeq++}.tmp`;
  }

  private schedule(): void {
    this.dirty = true;
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.writing)
        this.schedule(); // one write at a time; the changes stay dirty
      else this.writing = this.flushAsync().finally(() => (this.writing = undefined));
    }, this.delay);
    this.timer.unref();
  }

  private async flushAsync(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const tmp = this.nextTmp();
    const started = Date.now();
    try {
      await writeFile(tmp, snapshotJson(this.store.snapshot()));
      // close() wrote a newer snapshot meanwhile: this one must not replace it.
      if (this.closed) return void rmSync(tmp, { force: true });
      renameSync(tmp, this.file);
      // A big, busy cluster spends at most ~10% of its time writing snapshots.
      this.delay = Math.max(this.delayMs, (Date.now() - started) * 10);
    } catch (e) {
      rmSync(tmp, { force: true });
      // After close() the state dir may be gone (tests delete it); the final snapshot was written then.
      if (!this.closed) console.error(`demo-cluster: could not write ${this.file}: ${(e as Error).message}`);
    }
  }

  /** Writes the final snapshot synchronously (the process may exit right after). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.closed = true;
    this.unsubscribe();
    const tmp = this.nextTmp();
    try {
      writeFileSync(tmp, snapshotJson(this.store.snapshot()));
      renameSync(tmp, this.file);
    } catch (e) {
      rmSync(tmp, { force: true });
      console.error(`demo-cluster: could not write ${this.file}: ${(e as Error).message}`);
    }
  }
}
