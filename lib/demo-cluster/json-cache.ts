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
