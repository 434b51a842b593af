import type { KubeObjectLike, ListWatchSource, WatchEventType } from "../watch-cache";

/** A scripted API server: the test decides what each list returns and pushes watch events. */
export class FakeSource<T extends KubeObjectLike> implements ListWatchSource<T> {
  items: T[] = [];
  rv = "1";
  listError: unknown = null;
  watchError: unknown = null;
  watchFrom: string[] = [];
  private active: { onEvent: (t: WatchEventType, o: unknown) => void; onDone: (e: unknown) => void } | null = null;

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
    const entry = { onEvent, onDone };
    this.active = entry;
    return { abort: () => void (this.active === entry && (this.active = null)) };
  }
  push(type: WatchEventType, object: unknown) {
    this.active?.onEvent(type, structuredClone(object));
  }
  close(error: unknown = null) {
    const active = this.active;
    this.active = null;
    active?.onDone(error);
  }
  get watching() {
    return this.active !== null;
  }
}
