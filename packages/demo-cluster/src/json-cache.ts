// Stored objects are immutable, so each is serialized at most once per served version; lists,
// watch events and snapshots concatenate the cached strings.
const cache = new WeakMap<object, Map<string, string>>();

export function cachedJson(obj: object, key: string, produce: () => unknown = () => obj): string {
  let m = cache.get(obj);
  if (!m) cache.set(obj, (m = new Map()));
  let s = m.get(key);
  if (s === undefined) {
    s = JSON.stringify(produce());
    m.set(key, s);
  }
  return s;
}

const lines = new WeakMap<object, Map<string, Buffer>>();

/**
 * The encoded watch line `{"type":T,"object":...}\n` for a stored object, built once and shared
 * by every watcher (so fan-out costs no per-watcher serialization or UTF-8 encoding).
 */
export function watchLine(obj: object, key: string, type: string, json: () => string): Buffer {
  let m = lines.get(obj);
  if (!m) lines.set(obj, (m = new Map()));
  const k = `${type}\u0000${key}`;
  let b = m.get(k);
  if (b === undefined) {
    b = Buffer.from(`{"type":"${type}","object":${json()}}\n`);
    m.set(k, b);
  }
  return b;
}
