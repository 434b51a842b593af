import type { PodLogSource } from "./types";

interface Stream {
  lines: string[];
  previous?: string[];
  ended: boolean;
  followers: Set<{ onLine: (l: string) => void; onEnd: () => void }>;
}

/**
 * A PodLogSource kept in memory: the default when no simulation runs, and handy in tests.
 * Writers append lines and end a container's stream; followers get each line as it comes.
 */
export class MemoryPodLogSource implements PodLogSource {
  private streams = new Map<string, Stream>();

  private stream(ns: string, pod: string, container: string, create: boolean): Stream | undefined {
    const k = `${ns}/${pod}/${container}`;
    let s = this.streams.get(k);
    if (!s && create) this.streams.set(k, (s = { lines: [], ended: false, followers: new Set() }));
    return s;
  }

  append(ns: string, pod: string, container: string, ...lines: string[]): void {
    const s = this.stream(ns, pod, container, true)!;
    for (const line of lines) {
      s.lines.push(line);
      for (const f of s.followers) f.onLine(line);
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
    const s = this.stream(namespace, pod, container, false);
    if (!s) return undefined;
    return options?.previous ? s.previous?.slice() : s.lines.slice();
  }

  follow(
    namespace: string,
    pod: string,
    container: string,
    onLine: (line: string) => void,
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
