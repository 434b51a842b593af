import { parse, TomlError } from "smol-toml";
import { z } from "zod";

/**
 * config.toml as gitlab-runner reads it (common/config.go LoadConfig: BurntSushi/toml into the
 * Config structs). A file that is not valid TOML, or a known key with a value of the wrong type,
 * is an error: `run` stops at start with it and keeps its previous config on a reload. Unknown
 * keys are ignored, as the decoder ignores them. Only the keys the simulation uses are declared.
 */

const string = z.string().optional();
const integer = z.number().int().optional();
const bool = z.boolean().optional();
const stringMap = z.record(z.string(), z.string()).optional();
// Quantities are strings in the runner's structs; a bare TOML number does not decode into them.
const quantity = string;

const mount = { name: z.string(), mount_path: z.string(), sub_path: string, read_only: bool };
const volumesSchema = z.object({
  pvc: z.array(z.object(mount)).optional(),
  config_map: z.array(z.object({ ...mount, items: stringMap })).optional(),
  secret: z.array(z.object({ ...mount, items: stringMap })).optional(),
  empty_dir: z.array(z.object({ ...mount, medium: string, size_limit: string })).optional(),
  host_path: z.array(z.object({ ...mount, host_path: string })).optional(),
});

const kubernetesSchema = z.object({
  namespace: string,
  image: string,
  helper_image: string,
  pull_policy: z.union([z.string(), z.array(z.string())]).optional(),
  cpu_request: quantity,
  cpu_limit: quantity,
  memory_request: quantity,
  memory_limit: quantity,
  helper_cpu_request: quantity,
  helper_cpu_limit: quantity,
  helper_memory_request: quantity,
  helper_memory_limit: quantity,
  service_cpu_request: quantity,
  service_cpu_limit: quantity,
  service_memory_request: quantity,
  service_memory_limit: quantity,
  pod_annotations: stringMap,
  pod_labels: stringMap,
  node_selector: stringMap,
  node_tolerations: stringMap,
  service_account: string,
  image_pull_secrets: z.array(z.string()).optional(),
  poll_timeout: integer,
  poll_interval: integer,
  pod_termination_grace_period_seconds: integer,
  cleanup_grace_period_seconds: integer,
  volumes: volumesSchema.optional(),
});

/** [runners.cache] (cache/cacheconfig/cacheconfig.go Config, CacheS3Config): the keys the simulation uses. */
const cacheSchema = z.object({
  Type: string,
  Path: string,
  Shared: bool,
  MaxUploadedArchiveSize: integer,
  s3: z
    .object({
      ServerAddress: string,
      AccessKey: string,
      SecretKey: string,
      SessionToken: string,
      BucketName: string,
      BucketLocation: string,
      Insecure: bool,
      AuthenticationType: string,
      PathStyle: bool,
    })
    .optional(),
});

const runnerSchema = z.object({
  name: string,
  url: string,
  token: string,
  executor: string,
  limit: integer,
  output_limit: integer,
  cache_dir: string,
  cache: cacheSchema.optional(),
  kubernetes: kubernetesSchema.optional(),
});

const configSchema = z.object({
  concurrent: integer,
  check_interval: integer,
  log_level: string,
  listen_address: string,
  shutdown_timeout: integer,
  runners: z.array(runnerSchema).optional(),
});

export type KubernetesSettings = z.infer<typeof kubernetesSchema>;
export type RunnerEntry = z.infer<typeof runnerSchema>;
export type RunnerConfig = z.infer<typeof configSchema>;

export type ConfigResult =
  { ok: true; config: RunnerConfig; table: Record<string, unknown> } | { ok: false; error: string };

const TOML_TYPE = (value: unknown) =>
  Array.isArray(value)
    ? "array"
    : value === null || value === undefined
      ? "nothing"
      : typeof value === "object"
        ? "table"
        : typeof value === "number"
          ? Number.isInteger(value)
            ? "integer"
            : "float"
          : typeof value;

function valueAt(table: unknown, path: PropertyKey[]): unknown {
  let value = table;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key as string];
  return value;
}

/** The decoding step of LoadConfig, with errors worded like the runner's ("decoding configuration file: toml: …"). */
export function parseRunnerConfig(text: string): ConfigResult {
  let table: Record<string, unknown>;
  try {
    table = parse(text) as Record<string, unknown>;
  } catch (error) {
    const line = error instanceof TomlError && error.line ? `line ${error.line}: ` : "";
    const message = (error instanceof Error ? error.message : String(error))
      .split("\n")[0]
      .replace(/^Invalid TOML document: /, "");
    return { ok: false, error: `decoding configuration file: toml: ${line}${message}` };
  }
  const parsed = configSchema.safeParse(table);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.filter((p) => typeof p === "string").join(".");
    const expected = (issue as { expected?: string }).expected ?? "another type";
    return {
      ok: false,
      error: `decoding configuration file: toml: (last key "${key}"): incompatible types: TOML value has type ${TOML_TYPE(valueAt(table, issue.path))}; destination has type ${expected}`,
    };
  }
  return { ok: true, config: parsed.data, table };
}
