import { stringify } from "yaml";
import type { KubeObject } from "./types";

export const REDACTED = "<redacted>";

export interface ToYamlOptions {
  /** Replace Secret values with "<redacted>" (preview); false only for a real download/apply. */
  redactSecrets: boolean;
}

export function redactSecret(object: KubeObject): KubeObject {
  if (object.kind !== "Secret") return object;
  const redacted: KubeObject = { ...object };
  for (const field of ["data", "stringData"] as const) {
    const values = object[field] as Record<string, string> | undefined;
    if (values) redacted[field] = Object.fromEntries(Object.keys(values).map((k) => [k, REDACTED]));
  }
  return redacted;
}

/**
 * Multi-document YAML. Key order is the builders' insertion order (apiVersion, kind, metadata,
 * spec…), so equal settings give byte-identical output; long lines are never folded so a
 * config.toml or script stays a readable block literal.
 */
export function toYaml(objects: KubeObject[], options: ToYamlOptions): string {
  return objects
    .map((o) => (options.redactSecrets ? redactSecret(o) : o))
    .map((o) => stringify(o, { lineWidth: 0, indentSeq: true, aliasDuplicateObjects: false }))
    .map((doc) => `---\n${doc}`)
    .join("");
}
