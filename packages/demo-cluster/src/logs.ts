import type { PodLogSource, TimedLogLine } from "./types";

interface Stream {
  lines: TimedLogLine[];
  previous?: TimedLogLine[];
  ended: boolean;
  followers: Set<{ onLine: (l: string, time: number) => void; onEnd: () => void }>;
}

/**
 * A PodLogSource kept in memory: the default when no simulation runs, and handy in tests.
 * Writers append lines (stamped with `now()`, as a runtime stamps each line it writes) and end a
 * container's stream; followers get each line as it comes.
 */
export class MemoryPodLogSource implements PodLogSource {
  private streams = new Map<string, Stream>();

  constructor(private readonly now: () => number = Date.now) {}

  private stream(ns: string, pod: string, container: string, create: boolean): Stream | undefined {
    const k = `${ns}/${pod}/${container}`;
    let s = this.streams.get(k);
    if (!s && create) this.streams.set(k, (s = { lines: [], ended: false, followers: new Set() }));
    return s;
  }

  append(ns: string, pod: string, container: string, ...lines: string[]): void {
    const s = this.stream(ns, pod, container, true)!;
    for (const text of lines) {
      const time = this.now();
      s.lines.push({ time, text });
      for (const f of s.followers) f.onLine(text, time);
    }
  }

  end(ns: string, pod: string, container: string): void {
    const s = this.stream(ns, pod, container, true)!;
    s.ended = true;
    for (const f of [...s.followers]) f.onEnd();
    s.followers.clear();
  }

  /** The container restarted: current lines become the previous instance's. */
  restart(ns: string, pod: string, container: string): void {
    const s = this.stream(ns, pod, container, true)!;
    s.previous = s.lines;
    s.lines = [];
    s.ended = false;
  }

  forget(ns: string, pod: string): void {
    for (const k of [...this.streams.keys()]) if (k.startsWith(`${ns}/${pod}/`)) this.streams.delete(k);
  }

  read(namespace: string, pod: string, container: string, options?: { previous?: boolean }): string[] | undefined {
    return this.readTimed(namespace, pod, container, options)?.map((l) => l.text);
  }

  readTimed(
    namespace: string,
    pod: string,
    container: string,
    options?: { previous?: boolean },
  ): TimedLogLine[] | undefined {
    const s = this.stream(namespace, pod, container, false);
    if (!s) return undefined;
    return options?.previous ? s.previous?.slice() : s.lines.slice();
  }

  follow(
    namespace: string,
    pod: string,
    container: string,
    onLine: (line: string, time: number) => void,
    onEnd: () => void,
  ): () => void {
    const s = this.stream(namespace, pod, container, true)!;
    if (s.ended) {
      onEnd();
      return () => {};
    }
    const f = { onLine, onEnd };
    s.followers.add(f);
    return () => s.followers.delete(f);
  }
}
