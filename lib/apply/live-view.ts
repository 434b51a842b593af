import { createTwoFilesPatch } from "diff";
import { stringify } from "yaml";
import { REDACTED } from "@/lib/manifests";

type Json = Record<string, unknown>;

// Written by the API server on every object; they say nothing about what the user set.
const SERVER_METADATA = [
  "resourceVersion",
  "uid",
  "creationTimestamp",
  "generation",
  "managedFields",
  "selfLink",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
];
const SERVER_ANNOTATIONS = ["deployment.kubernetes.io/revision", "kubectl.kubernetes.io/last-applied-configuration"];

/**
 * An object as the user thinks of it: plain JSON (client-node returns Dates), without status
 * and server-written metadata. Dry-run results and live objects both pass through it, so the
 * diff shows only what an apply would change.
 */
export function liveView(object: unknown): Json | undefined {
  if (object === undefined || object === null) return undefined;
  const plain = JSON.parse(JSON.stringify(object)) as Json;
  delete plain.status;
  const metadata = (plain.metadata ?? {}) as Json;
  for (const key of SERVER_METADATA) delete metadata[key];
  const annotations = metadata.annotations as Record<string, string> | undefined;
  if (annotations) {
    for (const key of SERVER_ANNOTATIONS) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
  }
  return plain;
}

/**
 * Secret values replaced before anything is diffed or shown. A changed value is still
 * visible as changed ("<redacted, changed>"), never as its content.
 */
export function redactSecretValues(
  before: Json | undefined,
  after: Json | undefined,
): [Json | undefined, Json | undefined] {
  if (after?.kind !== "Secret" && before?.kind !== "Secret") return [before, after];
  const values = (o: Json | undefined) => ({ ...((o?.data as Record<string, string>) ?? {}) });
  const old = values(before);
  const next = values(after);
  const redact = (o: Json | undefined, data: Record<string, string>, other: Record<string, string>) =>
    o && {
      ...o,
      data: Object.fromEntries(
        Object.keys(data).map((k) => [k, k in other && other[k] !== data[k] ? `${REDACTED} (changed)` : REDACTED]),
      ),
    };
  return [redact(before, old, old), redact(after, next, old)];
}

/** Unified diff of two objects as YAML; "" when equal. Keys are sorted so order never shows up as a change. */
export function objectDiff(name: string, live: unknown, applied: unknown): string {
  const [before, after] = redactSecretValues(liveView(live), liveView(applied));
  const toText = (o: Json | undefined) => (o ? stringify(o, { sortMapEntries: true, lineWidth: 0 }) : "");
  const a = toText(before);
  const b = toText(after);
  if (a === b) return "";
  return createTwoFilesPatch(`live/${name}`, `applied/${name}`, a, b, undefined, undefined, { context: 3 });
}
