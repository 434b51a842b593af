export type { KubeObject } from "./types";
export { generateManifests } from "./generate";
export { schemaErrors, validateManifests } from "./validate";
export { lintSettings, warnings, type ManifestWarning } from "./warnings";
export { toYaml, REDACTED } from "./yaml";
export { toHelmValues } from "./helm-values";
export { objectNames } from "./names";
