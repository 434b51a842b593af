import { ApiError } from "./errors";
import { deepClone, deepEqual, isPlainObject, isSetList, keyValue, listKeys } from "./merge";
import type { KubeObject } from "./types";

// Server-side apply, after structured-merge-diff: every manager owns a set of field paths;
// an applier setting a field to a value other than the live one, where another manager owns
// it, is a conflict unless forced. Paths use the fieldsV1 segment syntax ("f:spec",
// `k:{"name":"web"}`, `v:"x"`) joined with SEP.

const SEP = "\u0001";

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time?: string;
  fieldsType: "FieldsV1";
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

const IGNORED_TOP = new Set(["apiVersion", "kind"]);
const IGNORED_META = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
]);

function keySegment(el: Record<string, unknown>, keys: string[]): string {
  const o: Record<string, unknown> = {};
  for (const k of [...keys].sort()) {
    const v = keyValue(el, k);
    if (v !== undefined) o[k] = v;
  }
  return `k:${JSON.stringify(o)}`;
}

/** Leaf and list-element paths an object sets. */
export function fieldSet(obj: KubeObject | Record<string, unknown>, opts: { skipStatus?: boolean } = {}): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(obj)) {
    if (IGNORED_TOP.has(k)) continue;
    if (k === "status" && opts.skipStatus) continue;
    if (k === "metadata" && isPlainObject(v)) {
      for (const [mk, mv] of Object.entries(v)) {
        if (IGNORED_META.has(mk)) continue;
        walk(mk, mv, `f:metadata${SEP}f:${mk}`, out, "metadata");
      }
      continue;
    }
    walk(k, v, `f:${k}`, out, "");
  }
  return out;
}

function walk(field: string, v: unknown, path: string, out: Set<string>, parent: string): void {
  if (isPlainObject(v)) {
    const entries = Object.entries(v);
    if (entries.length === 0) {
      out.add(path);
      return;
    }
    for (const [k, x] of entries) walk(k, x, `${path}${SEP}f:${k}`, out, field);
    return;
  }
  if (Array.isArray(v)) {
    const keys = listKeys(field, parent);
    if (keys && v.every(isPlainObject)) {
      for (const el of v as Array<Record<string, unknown>>) {
        const ep = `${path}${SEP}${keySegment(el, keys)}`;
        out.add(ep);
        for (const [k, x] of Object.entries(el)) walk(k, x, `${ep}${SEP}f:${k}`, out, field);
      }
      return;
    }
    if (isSetList(field)) {
      for (const el of v) out.add(`${path}${SEP}v:${JSON.stringify(el)}`);
      return;
    }
  }
  out.add(path);
}

function parseKeySeg(seg: string): Record<string, unknown> {
  return JSON.parse(seg.slice(2)) as Record<string, unknown>;
}

/** Value at a path, or undefined when absent. */
export function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split(SEP)) {
    if (cur === undefined || cur === null) return undefined;
    if (seg.startsWith("f:")) {
      cur = isPlainObject(cur) ? cur[seg.slice(2)] : undefined;
    } else if (seg.startsWith("k:")) {
      const key = parseKeySeg(seg);
      cur = Array.isArray(cur)
        ? cur.find((el) => isPlainObject(el) && Object.entries(key).every(([k, v]) => deepEqual(keyValue(el, k), v)))
        : undefined;
    } else if (seg.startsWith("v:")) {
      const val = JSON.parse(seg.slice(2));
      cur = Array.isArray(cur) ? cur.find((el) => deepEqual(el, val)) : undefined;
    } else {
      return undefined;
    }
  }
  return cur;
}

function removeAt(obj: unknown, path: string): void {
  const segs = path.split(SEP);
  let cur: unknown = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    cur = valueAt(cur, segs[i]);
    if (cur === undefined) return;
  }
  const last = segs[segs.length - 1];
  if (last.startsWith("f:") && isPlainObject(cur)) delete cur[last.slice(2)];
  else if (Array.isArray(cur)) {
    const target = valueAt(cur, last);
    const idx = cur.indexOf(target);
    if (target !== undefined && idx >= 0) cur.splice(idx, 1);
  }
}

/** "f:spec␁k:{"name":"a"}␁f:image" → `.spec[name="a"].image`, as conflict messages print paths. */
export function printPath(path: string): string {
  return path
    .split(SEP)
    .map((seg) => {
      if (seg.startsWith("f:")) return `.${seg.slice(2)}`;
      if (seg.startsWith("k:")) {
        const key = parseKeySeg(seg);
        return `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(",")}]`;
      }
      if (seg.startsWith("v:")) return `[=${seg.slice(2)}]`;
      return seg;
    })
    .join("");
}

export function toFieldsV1(set: Set<string>): Record<string, unknown> {
  const root: Record<string, Record<string, unknown>> = {};
  const members = new Set(set);
  for (const path of set) {
    let node: Record<string, unknown> = root;
    for (const seg of path.split(SEP)) {
      node[seg] ??= {};
      node = node[seg] as Record<string, unknown>;
    }
  }
  // An element or map that is itself owned and also has owned children carries ".": {}.
  const mark = (node: Record<string, unknown>, prefix: string): void => {
    for (const [seg, child] of Object.entries(node)) {
      const p = prefix ? `${prefix}${SEP}${seg}` : seg;
      const c = child as Record<string, unknown>;
      if (Object.keys(c).length > 0) {
        mark(c, p);
        if (members.has(p)) c["."] = {};
      }
    }
  };
  mark(root, "");
  return root;
}

export function fromFieldsV1(tree: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (node: unknown, prefix: string): void => {
    if (!isPlainObject(node)) return;
    for (const [seg, child] of Object.entries(node)) {
      if (seg === ".") {
        if (prefix) out.add(prefix);
        continue;
      }
      const p = prefix ? `${prefix}${SEP}${seg}` : seg;
      if (isPlainObject(child) && Object.keys(child).length > 0) visit(child, p);
      else out.add(p);
    }
  };
  visit(tree, "");
  return out;
}

interface ManagerState {
  entry: ManagedFieldsEntry;
  set: Set<string>;
}

function loadManagers(obj: KubeObject | undefined): ManagerState[] {
  const raw = (obj?.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  return raw.map((e) => ({ entry: e, set: fromFieldsV1(e.fieldsV1) }));
}

function saveManagers(managers: ManagerState[]): ManagedFieldsEntry[] | undefined {
  const out = managers
    .filter((m) => m.set.size > 0)
    .map((m) => ({ ...m.entry, fieldsType: "FieldsV1" as const, fieldsV1: toFieldsV1(m.set) }));
  return out.length ? out : undefined;
}

function sameManager(e: ManagedFieldsEntry, manager: string, operation: string, subresource?: string): boolean {
  return e.manager === manager && e.operation === operation && (e.subresource ?? "") === (subresource ?? "");
}

function managerLabel(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === "Update") s += ` using ${e.apiVersion}`;
  return s;
}

/**
 * Records an Update (create, PUT, non-apply PATCH) by `manager`: it takes every field whose value
 * it changed; other managers lose those fields.
 */
export function recordUpdate(
  oldObj: KubeObject | undefined,
  newObj: KubeObject,
  manager: string,
  apiVersion: string,
  now: string,
  subresource?: string,
): ManagedFieldsEntry[] | undefined {
  const managers = loadManagers(oldObj);
  const onlyStatus = subresource === "status";
  const scope = (p: string) =>
    onlyStatus ? p.startsWith("f:status") : !p.startsWith("f:status") || subresource === undefined;
  const newSet = fieldSet(newObj);
  const oldSet = oldObj ? fieldSet(oldObj) : new Set<string>();
  const changed = new Set<string>();
  for (const p of newSet) {
    if (!scope(p)) continue;
    if (!oldSet.has(p) || !deepEqual(valueAt(oldObj, p), valueAt(newObj, p))) changed.add(p);
  }
  const removed = [...oldSet].filter((p) => !newSet.has(p));
  if (changed.size === 0 && removed.length === 0)
    return (
      (newObj.metadata.managedFields as ManagedFieldsEntry[] | undefined) ??
      (oldObj?.metadata.managedFields as ManagedFieldsEntry[] | undefined)
    );
  for (const m of managers) {
    for (const p of changed) if (!sameManager(m.entry, manager, "Update", subresource)) m.set.delete(p);
    for (const p of removed) m.set.delete(p);
  }
  let mine = managers.find((m) => sameManager(m.entry, manager, "Update", subresource));
  if (!mine) {
    mine = {
      entry: {
        manager,
        operation: "Update",
        apiVersion,
        fieldsType: "FieldsV1",
        fieldsV1: {},
        ...(subresource ? { subresource } : {}),
      },
      set: new Set(),
    };
    managers.push(mine);
  }
  for (const p of changed) mine.set.add(p);
  mine.entry = { ...mine.entry, apiVersion, time: now };
  return saveManagers(managers);
}

function mergeApplied(live: unknown, applied: unknown, field: string, parent: string): unknown {
  if (isPlainObject(applied)) {
    const out: Record<string, unknown> = isPlainObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(out[k], v, k, field);
    return out;
  }
  if (Array.isArray(applied)) {
    const keys = listKeys(field, parent);
    if (keys && applied.every(isPlainObject) && Array.isArray(live)) {
      const out = [...live];
      for (const el of applied as Array<Record<string, unknown>>) {
        const idx = out.findIndex(
          (x) => isPlainObject(x) && keys.every((k) => deepEqual(keyValue(x, k), keyValue(el, k))),
        );
        if (idx >= 0) out[idx] = mergeApplied(out[idx], el, field, parent);
        else out.push(deepClone(el));
      }
      return out;
    }
    if (isSetList(field) && Array.isArray(live)) {
      const out = [...live];
      for (const el of applied) if (!out.some((x) => deepEqual(x, el))) out.push(el);
      return out;
    }
    return deepClone(applied);
  }
  return applied;
}

/**
 * Server-side apply of `applied` onto `live` (undefined when creating). Returns the merged object
 * with managedFields updated; throws 409 Conflict unless `force`.
 */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  force: boolean,
  apiVersion: string,
  now: string,
  opts: { subresource?: string; skipStatus?: boolean } = {},
): KubeObject {
  const managers = loadManagers(live);
  const appliedSet = fieldSet(applied, { skipStatus: opts.skipStatus });
  const mine = managers.find((m) => sameManager(m.entry, manager, "Apply", opts.subresource));
  const conflicts: Array<{ entry: ManagedFieldsEntry; path: string }> = [];
  for (const p of appliedSet) {
    const liveVal = valueAt(live, p);
    if (liveVal === undefined) continue;
    if (p.split(SEP).pop()!.startsWith("k:")) continue;
    if (deepEqual(liveVal, valueAt(applied, p))) continue;
    for (const m of managers) {
      if (m === mine) continue;
      if (m.set.has(p)) conflicts.push({ entry: m.entry, path: p });
    }
  }
  if (conflicts.length > 0 && !force) throw applyConflict(conflicts);
  for (const c of conflicts) {
    for (const m of managers) if (m.entry === c.entry) m.set.delete(c.path);
  }

  const result = deepClone(
    live ??
      ({ apiVersion: applied.apiVersion, kind: applied.kind, metadata: { name: applied.metadata.name } } as KubeObject),
  );
  if (mine) {
    const others = new Set<string>();
    for (const m of managers) if (m !== mine) for (const p of m.set) others.add(p);
    const stale = [...mine.set].filter((p) => !appliedSet.has(p) && !others.has(p));
    // Remove deepest paths first so parent lookups still resolve.
    stale.sort((a, b) => b.split(SEP).length - a.split(SEP).length);
    for (const p of stale) removeAt(result, p);
  }
  const toMerge = deepClone(applied) as Record<string, unknown>;
  delete toMerge.apiVersion;
  delete toMerge.kind;
  if (opts.skipStatus) delete toMerge.status;
  const merged = mergeApplied(result, toMerge, "", "") as KubeObject;
  merged.apiVersion = applied.apiVersion;
  merged.kind = applied.kind;

  const entry: ManagedFieldsEntry = {
    manager,
    operation: "Apply",
    apiVersion,
    time: now,
    fieldsType: "FieldsV1",
    fieldsV1: {},
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  };
  if (mine) {
    mine.entry = entry;
    mine.set = appliedSet;
  } else {
    managers.push({ entry, set: appliedSet });
  }
  merged.metadata.managedFields = saveManagers(managers);
  return merged;
}

function applyConflict(conflicts: Array<{ entry: ManagedFieldsEntry; path: string }>): ApiError {
  const causes = conflicts.map((c) => ({
    type: "FieldManagerConflict",
    message: `conflict with ${managerLabel(c.entry)}`,
    field: printPath(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${managerLabel(conflicts[0].entry)}: ${printPath(conflicts[0].path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const label = managerLabel(c.entry);
      byManager.set(label, [...(byManager.get(label) ?? []), printPath(c.path)]);
    }
    const lines: string[] = [];
    for (const label of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${label}:`);
      for (const p of byManager.get(label)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return new ApiError(409, "Conflict", message, { causes });
}
