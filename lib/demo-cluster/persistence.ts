import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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
 * at most every `delayMs`, or ten times as long as a write takes) and once more on close. Writes go to a temp file renamed into place,
 * so a crash never leaves half a snapshot.
 */
export class Persister {
  private timer?: NodeJS.Timeout;
  private dirty = false;
  private delay: number;
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

  private schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.delay);
    this.timer.unref();
  }

  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const file = path.join(this.stateDir, FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    const started = Date.now();
    try {
      writeFileSync(tmp, snapshotJson(this.store.snapshot()));
      renameSync(tmp, file);
      // A big, busy cluster spends at most ~10% of its time writing snapshots.
      this.delay = Math.max(this.delayMs, (Date.now() - started) * 10);
    } catch (e) {
      console.error(`demo-cluster: could not write ${file}: ${(e as Error).message}`);
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe();
    this.dirty = true;
    this.flush();
  }
}
