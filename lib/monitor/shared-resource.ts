export interface Lease<V> {
  value: V;
  /** Gives the lease back; the last one disposes the value (after `lingerMs`). Idempotent. */
  release(): void;
}

interface Entry<V> {
  value: V;
  refs: number;
  lingerTimer: ReturnType<typeof setTimeout> | null;
}

/**
 * Values shared by key with reference counting: the first acquire creates, later ones reuse,
 * the last release disposes. `lingerMs` keeps a value a little after its last release so a page
 * reload reuses the upstream watch instead of restarting it.
 */
export class SharedResources<V> {
  private readonly entries = new Map<string, Entry<V>>();
  /** How many values were ever created: 100 viewers of one key must make this 1. */
  created = 0;

  constructor(
    private readonly create: (key: string) => V,
    private readonly dispose: (value: V, key: string) => void,
    private readonly lingerMs = 0,
  ) {}

  /** `create` overrides the default factory for this key's first holder. */
  acquire(key: string, create: (key: string) => V = this.create): Lease<V> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { value: create(key), refs: 0, lingerTimer: null };
      this.created++;
      this.entries.set(key, entry);
    }
    if (entry.lingerTimer) clearTimeout(entry.lingerTimer);
    entry.lingerTimer = null;
    entry.refs++;
    const held = entry;
    let released = false;
    return {
      value: entry.value,
      release: () => {
        if (released) return;
        released = true;
        held.refs--;
        if (held.refs > 0) return;
        const drop = () => {
          if (this.entries.get(key) !== held || held.refs > 0) return;
          this.entries.delete(key);
          this.dispose(held.value, key);
        };
        if (this.lingerMs > 0) held.lingerTimer = setTimeout(drop, this.lingerMs);
        else drop();
      },
    };
  }

  /** The key's live value (held or lingering), without holding it. */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Whether the key has a live value (held or lingering). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Keys with a live value (held or lingering). */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  refCount(key: string): number {
    return this.entries.get(key)?.refs ?? 0;
  }

  get size(): number {
    return this.entries.size;
  }
}
