import { badRequest } from "./errors";
import type { KubeObject } from "./types";

export type LabelRequirement =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" };

export type LabelSelector = LabelRequirement[];

const KEY_RE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside parentheses ("a in (x,y),b" → two parts). */
function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of input) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

/**
 * An empty part is refused as apimachinery's labels.Parser refuses it (k8s.io/apimachinery
 * pkg/labels/selector.go, parse()): a leading comma is not a requirement's start, and after a comma
 * an identifier must follow, so "a=b," and "a=b,,c" are 400s rather than "everything".
 */
function refuseEmptyPart(parts: string[]): void {
  parts.forEach((part, i) => {
    if (part !== "") return;
    if (i === 0) throw badRequest("found ',', expected: !, identifier, or 'end of string'");
    throw badRequest(`found '${i === parts.length - 1 ? "" : ","}', expected: identifier after ','`);
  });
}

function checkKey(key: string, whole: string): string {
  if (!KEY_RE.test(key) || key.length > 316) {
    throw badRequest(`unable to parse requirement: invalid label key "${key}": in selector "${whole}"`);
  }
  return key;
}

function checkValue(value: string, whole: string): string {
  if (!VALUE_RE.test(value) || value.length > 63) {
    throw badRequest(`unable to parse requirement: invalid label value: "${value}": in selector "${whole}"`);
  }
  return value;
}

export function parseLabelSelector(input: string | undefined): LabelSelector {
  if (!input || !input.trim()) return [];
  const reqs: LabelSelector = [];
  const parts = splitTopLevel(input);
  refuseEmptyPart(parts);
  for (const part of parts) {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^!\s*(\S+)$/))) {
      reqs.push({ key: checkKey(m[1], input), op: "!exists" });
    } else if ((m = part.match(/^(\S+?)\s+(in|notin)\s*\((.*)\)$/))) {
      const values = m[3]
        .split(",")
        .map((v) => v.trim())
        .filter((v, i, all) => v !== "" || all.length === 1);
      reqs.push({
        key: checkKey(m[1], input),
        op: m[2] as "in" | "notin",
        values: values.map((v) => checkValue(v, input)),
      });
    } else if ((m = part.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      reqs.push({ key: checkKey(m[1], input), op: m[2] === "!=" ? "!=" : "=", value: checkValue(m[3], input) });
    } else if ((m = part.match(/^([^=!\s()]+)$/))) {
      reqs.push({ key: checkKey(m[1], input), op: "exists" });
    } else {
      throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return reqs;
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const req of selector) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, req.key);
    const value = has ? labels![req.key] : undefined;
    switch (req.op) {
      case "=":
        if (value !== req.value) return false;
        break;
      case "!=":
        if (value === req.value) return false;
        break;
      case "in":
        if (!has || !req.values.includes(value!)) return false;
        break;
      case "notin":
        if (has && req.values.includes(value!)) return false;
        break;
      case "exists":
        if (!has) return false;
        break;
      case "!exists":
        if (has) return false;
        break;
    }
  }
  return true;
}

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

export type FieldSelector = FieldRequirement[];

/** Field labels each kind supports, as kube-apiserver registers them (metadata.* for all). */
const FIELD_LABELS: Record<string, string[]> = {
  Pod: [
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.nominatedNodeName",
  ],
  Event: [
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
    // events.k8s.io/v1 names for the same fields
    "regarding.kind",
    "regarding.namespace",
    "regarding.name",
    "regarding.uid",
  ],
  Secret: ["type"],
  Namespace: ["status.phase"],
  Node: ["spec.unschedulable"],
  ReplicaSet: ["status.replicas"],
};

/** Unescapes `\,` `\=` `\\` as the field selector grammar allows. */
function unescapeField(v: string): string {
  return v.replace(/\\([,=\\!])/g, "$1");
}

export function parseFieldSelector(input: string | undefined, kind: string): FieldSelector {
  if (!input || !input.trim()) return [];
  const allowed = new Set(["metadata.name", "metadata.namespace", ...(FIELD_LABELS[kind] ?? [])]);
  const reqs: FieldSelector = [];
  for (const raw of input.split(/(?<!\\),/)) {
    const part = raw.trim();
    if (!part) continue;
    const m = part.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${input}'; can't understand '${part}'`);
    const field = m[1].trim();
    if (!allowed.has(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    reqs.push({ field, op: m[2] === "!=" ? "!=" : "=", value: unescapeField(m[3]) });
  }
  return reqs;
}

function fieldValue(obj: KubeObject, field: string): string {
  if (field === "source") {
    const src = (obj as { source?: { component?: string } }).source;
    return src?.component ?? "";
  }
  let cur: unknown = obj;
  for (const seg of field.split(".")) {
    if (cur === null || typeof cur !== "object") return "";
    cur = (cur as Record<string, unknown>)[seg];
  }
  if (cur === undefined || cur === null) {
    // Unset booleans select as "false", as the apiserver's field set renders them.
    return field === "spec.unschedulable" || field === "spec.hostNetwork" ? "false" : "";
  }
  return String(cur);
}

export function matchesFields(selector: FieldSelector, obj: KubeObject): boolean {
  for (const req of selector) {
    const v = fieldValue(obj, req.field);
    if (req.op === "=" ? v !== req.value : v === req.value) return false;
  }
  return true;
}
