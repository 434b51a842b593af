import { parseDocument } from "yaml";
import { QuantityError } from "@ask-ci/billing/eci/quantity";
import {
  resolvePodSpec,
  type ContainerLike,
  type EciSpec,
  type PodLike,
  type SpecSource,
} from "@ask-ci/billing/eci/specs";

export type PodYamlResult =
  | { ok: true; billed: EciSpec; requested: EciSpec | null; source: SpecSource; unsupported: boolean }
  | { ok: false; error: "empty" | "yaml" | "shape" | "quantity" };

type Node = Record<string, unknown>;

function isObject(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * What people paste: a whole Pod (or `kubectl get pod -o yaml`), a pod spec, a list of
 * containers, one container, or just its `resources:` block. Each is turned into a PodLike.
 */
function toPod(doc: unknown): PodLike | null {
  if (Array.isArray(doc)) return doc.every(isObject) ? { spec: { containers: doc as ContainerLike[] } } : null;
  if (!isObject(doc)) return null;
  if (isObject(doc.spec) && (Array.isArray(doc.spec.containers) || Array.isArray(doc.spec.initContainers)))
    return doc as PodLike;
  if (Array.isArray(doc.containers) || Array.isArray(doc.initContainers)) return { spec: doc as PodLike["spec"] };
  if (isObject(doc.resources)) return { spec: { containers: [doc as ContainerLike] } };
  if (isObject(doc.requests) || isObject(doc.limits))
    return { spec: { containers: [{ resources: doc as ContainerLike["resources"] }] } };
  return null;
}

/** The spec ECI would bill for a pasted job pod (or its resources), by the documented rules. */
export function specFromPodYaml(text: string): PodYamlResult {
  if (text.trim() === "") return { ok: false, error: "empty" };
  const document = parseDocument(text, { uniqueKeys: false });
  if (document.errors.length > 0) return { ok: false, error: "yaml" };
  const pod = toPod(document.toJS());
  if (!pod) return { ok: false, error: "shape" };
  try {
    const resolved = resolvePodSpec(pod);
    return {
      ok: true,
      billed: resolved.billed,
      requested: resolved.requested,
      source: resolved.source,
      unsupported: resolved.unsupported !== undefined,
    };
  } catch (error) {
    if (error instanceof QuantityError || error instanceof TypeError || error instanceof RangeError)
      return { ok: false, error: "quantity" };
    throw error;
  }
}
