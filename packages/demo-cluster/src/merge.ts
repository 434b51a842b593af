import { ApiError, badRequest } from "./errors";

// Patch metadata of the built-in types (the Go struct tags patchMergeKey / listMapKeys), keyed by
// field name. Field names are unambiguous within the kinds this server serves.
const MERGE_KEYS: Record<string, string[]> = {
  containers: ["name"],
  initContainers: ["name"],
  ephemeralContainers: ["name"],
  env: ["name"],
  volumes: ["name"],
  volumeMounts: ["mountPath"],
  volumeDevices: ["devicePath"],
  ports: ["containerPort", "protocol"],
  imagePullSecrets: ["name"],
  conditions: ["type"],
  ownerReferences: ["uid"],
  hostAliases: ["ip"],
  resourceClaims: ["name"],
  topologySpreadConstraints: ["topologyKey", "whenUnsatisfiable"],
  podIPs: ["ip"],
  hostIPs: ["ip"],
  schedulingGates: ["name"],
};

/** Lists of scalars merged as sets (patchStrategy merge, listType set). */
const SET_LISTS = new Set(["finalizers"]);

const KEY_DEFAULTS: Record<string, unknown> = { protocol: "TCP" };

const CONTAINER_LISTS = new Set(["containers", "initContainers", "ephemeralContainers"]);

/**
 * Merge keys of the list `field` inside an object that itself sits in field `parent`. Only
 * `ports` depends on where it is: container ports key on containerPort, Service ports on port.
 */
export function listKeys(field: string, parent?: string): string[] | undefined {
  if (field === "ports" && parent !== undefined && !CONTAINER_LISTS.has(parent)) return ["port", "protocol"];
  return MERGE_KEYS[field];
}

export function isSetList(field: string): boolean {
  return SET_LISTS.has(field);
}

export function keyValue(el: Record<string, unknown>, key: string): unknown {
  return el[key] ?? KEY_DEFAULTS[key];
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function deepClone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ak = Object.keys(a as object);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every(
    (k) => Object.prototype.hasOwnProperty.call(bo, k) && deepEqual((a as Record<string, unknown>)[k], bo[k]),
  );
}

/** RFC 7386 JSON merge patch. */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = jsonMergePatch(result[k], v);
  }
  return result;
}

function sameKey(a: Record<string, unknown>, b: Record<string, unknown>, key: string): boolean {
  return deepEqual(keyValue(a, key), keyValue(b, key));
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith("$")) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}

/**
 * Strategic merge patch as kube-apiserver applies it for built-in kinds: maps merge, lists with a
 * patch merge key merge element-wise by that key, `$patch: delete|replace`, `$setElementOrder/x`,
 * `$deleteFromPrimitiveList/x` and `$retainKeys` are honoured; other lists are replaced.
 */
export function strategicMergePatch(original: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) throw badRequest("strategic merge patch must be a JSON object");
  return mergeMap(isPlainObject(original) ? original : {}, patch, "");
}

function mergeMap(
  orig: Record<string, unknown>,
  patch: Record<string, unknown>,
  self: string,
): Record<string, unknown> | undefined {
  if (patch.$patch === "replace") return stripDirectives(patch) as Record<string, unknown>;
  if (patch.$patch === "delete") return undefined;
  const result: Record<string, unknown> = { ...orig };
  const orders: Array<[string, unknown[]]> = [];
  const primitiveDeletes: Array<[string, unknown[]]> = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$setElementOrder/")) {
      if (Array.isArray(v)) orders.push([k.slice("$setElementOrder/".length), v]);
      continue;
    }
    if (k.startsWith("$deleteFromPrimitiveList/")) {
      if (Array.isArray(v)) primitiveDeletes.push([k.slice("$deleteFromPrimitiveList/".length), v]);
      continue;
    }
    if (k.startsWith("$")) continue;
    if (v === null) {
      delete result[k];
    } else if (isPlainObject(v)) {
      const merged = mergeMap(isPlainObject(result[k]) ? (result[k] as Record<string, unknown>) : {}, v, k);
      if (merged === undefined) delete result[k];
      else result[k] = merged;
    } else if (Array.isArray(v)) {
      result[k] = mergeList(k, result[k], v, self);
    } else {
      result[k] = v;
    }
  }
  for (const [field, values] of primitiveDeletes) {
    if (Array.isArray(result[field])) {
      result[field] = (result[field] as unknown[]).filter((x) => !values.some((d) => deepEqual(d, x)));
    }
  }
  for (const [field, order] of orders) {
    if (Array.isArray(result[field])) result[field] = reorder(field, result[field] as unknown[], order, self);
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set((patch.$retainKeys as unknown[]).map(String));
    for (const k of Object.keys(result)) if (!keep.has(k)) delete result[k];
  }
  return result;
}

function reorder(field: string, items: unknown[], order: unknown[], parent: string): unknown[] {
  const keys = listKeys(field, parent);
  const pos = (item: unknown): number =>
    order.findIndex((o) =>
      keys && isPlainObject(o) && isPlainObject(item) ? sameKey(o, item, keys[0]) : deepEqual(o, item),
    );
  const listed = items.filter((i) => pos(i) >= 0).sort((a, b) => pos(a) - pos(b));
  return [...listed, ...items.filter((i) => pos(i) < 0)];
}

function mergeList(field: string, orig: unknown, patch: unknown[], parent: string): unknown[] {
  const existing = Array.isArray(orig) ? orig : [];
  if (patch.some((el) => isPlainObject(el) && el.$patch === "replace")) {
    return patch.filter((el) => !(isPlainObject(el) && el.$patch === "replace")).map(stripDirectives);
  }
  if (SET_LISTS.has(field)) {
    const out = [...existing];
    for (const el of patch) if (!out.some((x) => deepEqual(x, el))) out.push(el);
    return out;
  }
  const keys = listKeys(field, parent);
  if (!keys || !patch.every(isPlainObject)) return patch.map(stripDirectives);
  const key = keys[0];
  const out = existing.map((x) => x);
  for (const el of patch as Array<Record<string, unknown>>) {
    const idx = out.findIndex((x) => isPlainObject(x) && sameKey(x, el, key));
    if (el.$patch === "delete") {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(out[idx] as Record<string, unknown>, el, field);
      if (merged === undefined) out.splice(idx, 1);
      else out[idx] = merged;
    } else {
      out.push(stripDirectives(el));
    }
  }
  return out;
}

function parsePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/"))
    throw new ApiError(
      422,
      "Invalid",
      `the server rejected our request due to an error in our request: invalid JSON pointer "${path}"`,
    );
  return path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function jsonPatchError(message: string): ApiError {
  return new ApiError(422, "Invalid", `the server rejected our request due to an error in our request: ${message}`);
}

function getParent(doc: unknown, segs: string[], op: string, path: string): { parent: unknown; last: string } {
  let cur = doc;
  for (const s of segs.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isPlainObject(cur)) cur = cur[s];
    else cur = undefined;
    if (cur === undefined)
      throw jsonPatchError(`jsonpatch ${op} operation does not apply: doc is missing path: "${path}"`);
  }
  return { parent: cur, last: segs[segs.length - 1] };
}

function pointerGet(doc: unknown, path: string, op: string): unknown {
  let cur = doc;
  for (const s of parsePointer(path)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isPlainObject(cur)) cur = cur[s];
    else cur = undefined;
    if (cur === undefined)
      throw jsonPatchError(`jsonpatch ${op} operation does not apply: doc is missing path: "${path}"`);
  }
  return cur;
}

function pointerRemove(doc: unknown, path: string, op: string): unknown {
  const segs = parsePointer(path);
  const { parent, last } = getParent(doc, segs, op, path);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length)
      throw jsonPatchError(`Unable to remove nonexistent key: ${last}: missing value`);
    return parent.splice(i, 1)[0];
  }
  if (isPlainObject(parent) && last in parent) {
    const v = parent[last];
    delete parent[last];
    return v;
  }
  throw jsonPatchError(`jsonpatch ${op} operation does not apply: doc is missing key: ${path}`);
}

function pointerAdd(doc: unknown, path: string, value: unknown, op: string, replace: boolean): unknown {
  const segs = parsePointer(path);
  if (segs.length === 0) return value;
  const { parent, last } = getParent(doc, segs, op, path);
  if (Array.isArray(parent)) {
    if (last === "-" && !replace) parent.push(value);
    else {
      const i = Number(last);
      if (!Number.isInteger(i) || i < 0 || i > parent.length || (replace && i >= parent.length)) {
        throw jsonPatchError(`jsonpatch ${op} operation does not apply: index out of bounds: ${last}`);
      }
      if (replace) parent[i] = value;
      else parent.splice(i, 0, value);
    }
  } else if (isPlainObject(parent)) {
    if (replace && !(last in parent))
      throw jsonPatchError(`jsonpatch replace operation does not apply: doc is missing key: ${path}`);
    parent[last] = value;
  } else {
    throw jsonPatchError(`jsonpatch ${op} operation does not apply: doc is missing path: "${path}"`);
  }
  return doc;
}

/** RFC 6902 JSON patch. */
export function jsonPatch(original: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest("json patch must be a JSON array of operations");
  let doc = deepClone(original);
  for (const raw of ops) {
    if (!isPlainObject(raw) || typeof raw.op !== "string" || typeof raw.path !== "string") {
      throw badRequest('invalid JSON patch operation: each operation needs "op" and "path"');
    }
    const { op, path } = raw as { op: string; path: string };
    switch (op) {
      case "add":
        doc = pointerAdd(doc, path, deepClone(raw.value), op, false);
        break;
      case "replace":
        doc = pointerAdd(doc, path, deepClone(raw.value), op, true);
        break;
      case "remove":
        pointerRemove(doc, path, op);
        break;
      case "move": {
        const v = pointerRemove(doc, String(raw.from), op);
        doc = pointerAdd(doc, path, v, op, false);
        break;
      }
      case "copy": {
        const v = deepClone(pointerGet(doc, String(raw.from), op));
        doc = pointerAdd(doc, path, v, op, false);
        break;
      }
      case "test": {
        const v = pointerGet(doc, path, op);
        if (!deepEqual(v, raw.value)) throw jsonPatchError(`testing value ${path} failed: test failed`);
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}
