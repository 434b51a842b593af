import { fnv1a32 } from "@ask-ci/seeded-random";

// k8s.io/apimachinery rand.SafeEncodeString: no vowels (no words) and no look-alike characters.
export const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** Stable JSON: object keys sorted, so equal templates hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The pod-template-hash label the Deployment controller puts on its ReplicaSets: an FNV-32a of
 * the pod template (plus the collision count), its decimal digits mapped through the safe
 * alphabet as kube-controller-manager's ComputeHash does.
 */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const digits = String(fnv1a32(canonicalJson(template) + (collisionCount ? `#${collisionCount}` : "")));
  return [...digits].map((ch) => SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length]).join("");
}
