export type { KubeObject } from "./types";
export { generateManifests } from "./generate";
export { validateManifests, type ObjectValidation } from "./validate";
export { lintSettings, warnings, type ManifestWarning } from "./warnings";
export { toYaml, redactSecret, REDACTED, type ToYamlOptions } from "./yaml";
export { toHelmValues } from "./helm-values";
export { globalConfigToml, runnerTemplateToml, mergedConfig, jobPodAnnotations } from "./config-toml";
export { defaultImageCacheImages } from "./image-cache";
export { objectNames } from "./names";
