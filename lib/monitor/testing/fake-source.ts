import type { KubeObjectLike, ListWatchSource, WatchEventType } from "../watch-cache";

interface FakeWatch {
  onEvent: (t: WatchEventType, o: unknown) => void;
  onDone: (e: unknown) => void;
  aborted: boolean;
}

/**
 * A scripted API server: the test decides what each list returns and pushes watch events.
 *
 * Like a real watch over HTTP, an aborted watch keeps its callbacks: chunks already read from the
 * socket can still be delivered after abort() (`pushLate`, `closeLate`), so the cache's own guard
 * against late events is what a test exercises, not this fake's forgetfulness.
 */
export class FakeSource<T extends KubeObjectLike> implements ListWatchSource<T> {
  items: T[] = [];
  rv = "1";
  listError: unknown = null;
  watchError: unknown = null;
  watchFrom: string[] = [];
  private readonly opened: FakeWatch[] = [];
  private active: FakeWatch | null = null;

  async list() {
    if (this.listError) throw this.listError;
    return { items: this.items.map((o) => structuredClone(o)), resourceVersion: this.rv };
  }
  async watch(rv: string, onEvent: (t: WatchEventType, o: unknown) => void, onDone: (e: unknown) => void) {
    this.watchFrom.push(rv);
    if (this.watchError) {
      onDone(this.watchError);
      return { abort() {} };
    }
    const entry: FakeWatch = { onEvent, onDone, aborted: false };
    this.opened.push(entry);
    this.active = entry;
    return {
      abort: () => {
        entry.aborted = true;
        if (this.active === entry) this.active = null;
      },
    };
  }
  /** An event on the open watch (none after abort or close). */
  push(type: WatchEventType, object: unknown) {
    this.active?.onEvent(type, structuredClone(object));
  }
  /** Ends the open watch, cleanly (null) or with an error. */
  close(error: unknown = null) {
    const active = this.active;
    this.active = null;
    active?.onDone(error);
  }
  /** An event still arriving on the most recently opened watch, even if it was aborted or replaced since. */
  pushLate(type: WatchEventType, object: unknown, watchIndex = this.opened.length - 1) {
    this.watchAt(watchIndex).onEvent(type, structuredClone(object));
  }
  /** The end of an earlier (aborted or replaced) watch, reported late. */
  closeLate(error: unknown = null, watchIndex = this.opened.length - 1) {
    this.watchAt(watchIndex).onDone(error);
  }
  get watching() {
    return this.active !== null;
  }
  /** How many watches were opened (whatever became of them). */
  get watchesOpened() {
    return this.opened.length;
  }
  /** Whether the nth watch opened has been aborted by the cache. */
  wasAborted(watchIndex: number) {
    return this.watchAt(watchIndex).aborted;
  }
  private watchAt(index: number): FakeWatch {
    const watch = this.opened[index];
    if (!watch) throw new Error(`no watch #${index} was opened (${this.opened.length} so far)`);
    return watch;
  }
}
