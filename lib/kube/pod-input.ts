import { parseCpuMillicores, parseMemoryBytes, parseQuantity } from "@ask-ci/billing/eci/quantity";
import type { Pod } from "./pod";

/**
 * Cluster data is untrusted input: an API server (or anything between us and it) can send a
 * label that is a number, a container list that is an object, a restart count of 1e999. The
 * readers in lib/kube, lib/cost and lib/monitor are typed against the Kubernetes schema, so a pod
 * is brought to that shape once, where it enters (watch, list, read): every field we read that has
 * the wrong type is dropped, as if the API server had left it out. Fields we do not read pass
 * through untouched. What a string *says* (a malformed job URL, a date that is not a date) is
 * each reader's to judge; only the types are settled here, and resource quantities, which the API
 * server validates and billing parses strictly: one that does not parse, or is beyond any machine
 * (more than 1,024 cores or 64 TiB), is dropped like a wrong type.
 */

type Shape =
  | "string"
  | "boolean"
  | "count"
  | "integer"
  | "stringMap"
  | "quantityMap"
  | { array: Shape }
  | { [field: string]: Shape };

const timestamps = { startedAt: "string", finishedAt: "string" } as const;
const containerState = {
  waiting: { reason: "string", message: "string" },
  running: { startedAt: "string" },
  terminated: { exitCode: "integer", reason: "string", message: "string", ...timestamps },
} as const;
const containerStatus = {
  name: "string",
  image: "string",
  imageID: "string",
  containerID: "string",
  ready: "boolean",
  started: "boolean",
  restartCount: "count",
  state: containerState,
  lastState: containerState,
} as const;
const container = {
  name: "string",
  image: "string",
  resources: { requests: "quantityMap", limits: "quantityMap" },
  env: { array: { name: "string", value: "string" } },
} as const;

const POD_SHAPE: Shape = {
  apiVersion: "string",
  kind: "string",
  metadata: {
    name: "string",
    generateName: "string",
    namespace: "string",
    uid: "string",
    resourceVersion: "string",
    creationTimestamp: "string",
    deletionTimestamp: "string",
    labels: "stringMap",
    annotations: "stringMap",
    ownerReferences: { array: { apiVersion: "string", kind: "string", name: "string", uid: "string" } },
  },
  spec: {
    nodeName: "string",
    containers: { array: container },
    initContainers: { array: container },
    ephemeralContainers: { array: container },
    overhead: "quantityMap",
  },
  status: {
    phase: "string",
    reason: "string",
    message: "string",
    startTime: "string",
    podIP: "string",
    qosClass: "string",
    conditions: {
      array: { type: "string", status: "string", reason: "string", message: "string", lastTransitionTime: "string" },
    },
    containerStatuses: { array: containerStatus },
    initContainerStatuses: { array: containerStatus },
    ephemeralContainerStatuses: { array: containerStatus },
  },
};

const MAX_MILLICORES = 1024 * 1000;
const MAX_BYTES = 2 ** 46;

function isQuantity(resource: string, value: string): boolean {
  try {
    if (resource === "cpu") return parseCpuMillicores(value) <= MAX_MILLICORES;
    if (resource === "memory") return parseMemoryBytes(value) <= MAX_BYTES;
    parseQuantity(value);
    return true;
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The value cleaned to `shape`, or undefined when it cannot have it. Objects are cleaned in place
 * (the input is JSON just parsed, held by nobody else): at 10,000 pods a copy of each would double
 * the list's garbage for nothing.
 */
function clean(value: unknown, shape: Shape): unknown {
  switch (shape) {
    case "string":
      return typeof value === "string" ? value : undefined;
    case "boolean":
      return typeof value === "boolean" ? value : undefined;
    case "count":
      return Number.isSafeInteger(value) && (value as number) >= 0 ? value : undefined;
    case "integer":
      return Number.isSafeInteger(value) ? value : undefined;
    case "stringMap":
    case "quantityMap": {
      if (!isRecord(value)) return undefined;
      for (const [key, entry] of Object.entries(value)) {
        if (shape === "stringMap") {
          if (typeof entry !== "string") delete value[key];
          continue;
        }
        // The API server writes quantities as strings; a plain number is the same quantity.
        const text = typeof entry === "number" && Number.isFinite(entry) ? String(entry) : entry;
        if (typeof text === "string" && isQuantity(key, text)) value[key] = text;
        else delete value[key];
      }
      return value;
    }
  }
  if ("array" in shape && Object.keys(shape).length === 1) {
    if (!Array.isArray(value)) return undefined;
    const itemShape = shape.array as Shape;
    const items = value.map((item) => clean(item, itemShape));
    return items.includes(undefined) ? items.filter((item) => item !== undefined) : items;
  }
  if (!isRecord(value)) return undefined;
  for (const [field, fieldShape] of Object.entries(shape as Record<string, Shape>)) {
    if (!Object.hasOwn(value, field)) continue;
    const cleaned = clean(value[field], fieldShape);
    if (cleaned === undefined) delete value[field];
    else value[field] = cleaned;
  }
  return value;
}

/**
 * A pod from the API with every field we read of the type the schema says, or null when it is not
 * an object at all. Changes `raw` in place and returns it.
 */
export function podFromApi(raw: unknown): Pod | null {
  if (!isRecord(raw)) return null;
  return clean(raw, POD_SHAPE) as Pod;
}
