import { parse, TomlError } from "smol-toml";
import { z } from "zod";

const optionalString = z.string().optional().catch(undefined);
const quantity = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .optional()
  .catch(undefined);
const stringMap = z
  .record(
    z.string(),
    z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v)),
  )
  .catch({});
const optionalBool = z.boolean().optional().catch(undefined);
const list = <T extends z.ZodType>(item: T) => z.array(item).catch([]);

const mount = { name: z.string(), mount_path: z.string(), sub_path: optionalString, read_only: optionalBool };
const volumesSchema = z
  .object({
    pvc: list(z.object(mount)),
    config_map: list(z.object({ ...mount, items: stringMap.optional() })),
    secret: list(z.object({ ...mount, items: stringMap.optional() })),
    empty_dir: list(z.object({ ...mount, medium: optionalString, size_limit: optionalString })),
    host_path: list(z.object({ ...mount, host_path: optionalString })),
  })
  .catch({ pvc: [], config_map: [], secret: [], empty_dir: [], host_path: [] });

const kubernetesSchema = z.object({
  namespace: optionalString,
  image: optionalString,
  helper_image: optionalString,
  pull_policy: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .catch(undefined),
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
  service_account: optionalString,
  image_pull_secrets: list(z.string()),
  poll_timeout: z.number().int().positive().optional().catch(undefined),
  pod_termination_grace_period_seconds: z.number().int().nonnegative().optional().catch(undefined),
  volumes: volumesSchema,
});

const runnerSchema = z.object({
  name: z.string().catch("gitlab-runner"),
  url: z.string().catch("https://gitlab.com/"),
  token: optionalString,
  executor: z.string().catch("kubernetes"),
  limit: z.number().int().nonnegative().catch(0),
  kubernetes: kubernetesSchema.catch(() => kubernetesSchema.parse({})),
});

const configSchema = z.object({
  concurrent: z.number().int().positive().catch(1),
  runners: list(runnerSchema),
});

export type KubernetesSettings = z.infer<typeof kubernetesSchema>;
export type RunnerEntry = z.infer<typeof runnerSchema>;
export type RunnerConfig = z.infer<typeof configSchema>;

export interface LoadedRunnerConfig {
  config: RunnerConfig;
  /** What had to be skipped or defaulted; empty for a clean config.toml. */
  problems: string[];
}

const MAX_REPAIRS = 20;

/**
 * Parses TOML the forgiving way: a line that is not valid TOML (the seed article's
 * `token = $token`, say) is dropped and parsing retried. Every repair is reported.
 */
export function parseTomlLeniently(
  text: string,
  file = "config.toml",
): { table: Record<string, unknown>; problems: string[] } {
  const lines = text.split("\n");
  const problems: string[] = [];
  for (let attempt = 0; attempt <= MAX_REPAIRS; attempt++) {
    try {
      return { table: parse(lines.join("\n")), problems };
    } catch (error) {
      if (!(error instanceof TomlError) || !error.line || attempt === MAX_REPAIRS) {
        problems.push(`${file} cannot be parsed (${firstLine(error)}); using defaults`);
        break;
      }
      problems.push(
        `${file === "config.toml" ? "" : `${file} `}line ${error.line}: ${firstLine(error)} (line ignored)`,
      );
      lines[error.line - 1] = "";
    }
  }
  return { table: {}, problems };
}

/** Fields of the wrong type fall back to GitLab Runner's defaults. */
export function runnerConfigFrom(table: Record<string, unknown>): RunnerConfig {
  return configSchema.parse(table);
}

/** config.toml, read leniently (see parseTomlLeniently). */
export function parseRunnerConfig(text: string): LoadedRunnerConfig {
  const { table, problems } = parseTomlLeniently(text);
  return { config: runnerConfigFrom(table), problems };
}

export function defaultRunnerEntry(): RunnerEntry {
  return runnerSchema.parse({});
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0].replace(/^Invalid TOML document: /, "");
}
