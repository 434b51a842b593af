import type { PodLogSource, TimedLogLine } from "../types";

interface Follower {
  onLine: (line: string, time: number) => void;
  onEnd: () => void;
}

interface Stream {
  lines: TimedLogLine[];
  previous?: TimedLogLine[];
  ended: boolean;
  followers: Set<Follower>;
}

const MAX_LINES_PER_CONTAINER = 5000;

/**
 * Container logs written by the simulated kubelet and workloads; read by the pods/log endpoint.
 * Each line keeps the time it was written (the simulation's clock), as a runtime's log file does:
 * what `timestamps`, `sinceSeconds` and `sinceTime` read.
 */
export class LogBook implements PodLogSource {
  private readonly streams = new Map<string, Stream>();
  private readonly containersByPod = new Map<string, Set<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  append(namespace: string, pod: string, container: string, line: string): void {
    const stream = this.stream(namespace, pod, container);
    const time = this.now();
    stream.lines.push({ time, text: line });
    if (stream.lines.length > MAX_LINES_PER_CONTAINER) stream.lines.shift();
    for (const follower of stream.followers) follower.onLine(line, time);
  }

  /** A container (re)started: the lines so far become the "previous" instance's. */
  restart(namespace: string, pod: string, container: string): void {
    const stream = this.stream(namespace, pod, container);
    if (stream.lines.length > 0 || stream.ended) {
      stream.previous = stream.lines;
      stream.lines = [];
    }
    stream.ended = false;
  }

  /** The container stopped: followers get onEnd. */
  end(namespace: string, pod: string, container: string): void {
    const stream = this.streams.get(streamKey(namespace, pod, container));
    if (!stream || stream.ended) return;
    stream.ended = true;
    for (const follower of stream.followers) follower.onEnd();
    stream.followers.clear();
  }

  removePod(namespace: string, pod: string): void {
    const key = `${namespace}/${pod}`;
    for (const container of this.containersByPod.get(key) ?? []) {
      this.end(namespace, pod, container);
      this.streams.delete(streamKey(namespace, pod, container));
    }
    this.containersByPod.delete(key);
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
    const stream = this.streams.get(streamKey(namespace, pod, container));
    if (!stream) return undefined;
    if (options?.previous) return stream.previous && [...stream.previous];
    return [...stream.lines];
  }

  follow(
    namespace: string,
    pod: string,
    container: string,
    onLine: (line: string, time: number) => void,
    onEnd: () => void,
  ): () => void {
    // Only new lines: the caller has read what was there (PodLogSource's contract). Replaying
    // them here made `kubectl logs -f` print the first lines twice.
    const stream = this.stream(namespace, pod, container);
    if (stream.ended) {
      onEnd();
      return () => {};
    }
    const follower = { onLine, onEnd };
    stream.followers.add(follower);
    return () => {
      stream.followers.delete(follower);
    };
  }

  private stream(namespace: string, pod: string, container: string): Stream {
    const key = streamKey(namespace, pod, container);
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { lines: [], ended: false, followers: new Set() };
      this.streams.set(key, stream);
      const podKey = `${namespace}/${pod}`;
      let containers = this.containersByPod.get(podKey);
      if (!containers) this.containersByPod.set(podKey, (containers = new Set()));
      containers.add(container);
    }
    return stream;
  }
}

function streamKey(namespace: string, pod: string, container: string): string {
  return `${namespace}/${pod}/${container}`;
}
