import { stringify } from "smol-toml";
import type { ContainerFs } from "./container-fs";
import type { GitLabClient } from "./gitlab-client";
import type { RunnerRelease } from "./release";
import { parseRunnerConfig, type RunnerEntry } from "./runner-config";
import type { CommandResult } from "./shell";
import { shortenToken } from "./short-token";

/**
 * The gitlab-runner command line, for the subcommands a runner pod uses: `register`
 * (commands/register.go), `verify` (commands/verify.go) and `run`'s flags (commands/multi.go).
 * The image's /entrypoint only installs a CA and then `exec gitlab-runner "$@"`, so it is the same.
 */

export interface CliContext {
  release: RunnerRelease;
  fs: ContainerFs;
  env: Record<string, string>;
  gitlab: GitLabClient;
  now: number;
}

const DEFAULT_CONFIG_FILE = "/etc/gitlab-runner/config.toml";
export const RUNNER_BINARIES = new Set(["gitlab-runner", "/usr/bin/gitlab-runner", "/entrypoint"]);

/** `--flag value`, `--flag=value`, `-f value` into a map; booleans as "true". */
export function parseFlags(args: string[], booleans: readonly string[] = []): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--?([A-Za-z0-9-]+)(?:=(.*))?$/.exec(args[i]);
    if (!match) continue;
    const [, name, inline] = match;
    if (inline !== undefined) flags[name] = inline;
    else if (booleans.includes(name)) flags[name] = "true";
    else flags[name] = args[++i] ?? "";
  }
  return flags;
}

function header(ctx: CliContext): string {
  return `Runtime platform                                    arch=amd64 os=linux pid=7 revision=${revision(ctx.release.version)} version=${ctx.release.version}\n`;
}

/** A stable stand-in for the Go build's commit hash. */
export function revision(version: string): string {
  let hash = 0x811c9dc5;
  for (const ch of version) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

export function configFileOf(flags: Record<string, string>, env: Record<string, string>): string {
  return flags.config ?? flags.c ?? env.CONFIG_FILE ?? DEFAULT_CONFIG_FILE;
}

/**
 * `gitlab-runner register --non-interactive` with a runner authentication token: verify it with
 * GitLab, merge the `--template-config` runner (empty fields only, mergo), save the config file.
 * Flags win over the environment (RUNNER_NAME, CI_SERVER_URL, CI_SERVER_TOKEN, RUNNER_EXECUTOR).
 */
export function register(args: string[], ctx: CliContext): CommandResult {
  const flags = parseFlags(args, ["non-interactive", "n", "leave-runner", "locked", "paused", "run-untagged"]);
  const file = configFileOf(flags, ctx.env);
  let out = header(ctx);
  if (!flags["non-interactive"] && !flags.n) {
    return { code: 2, output: out + "PANIC: Unexpected EOF. Did you mean to use --non-interactive?\n" };
  }
  const existing = ctx.fs.read(file);
  const base = existing ? parseRunnerConfig(existing.content) : undefined;
  if (base && !base.ok) return { code: 1, output: out + `FATAL: ${base.error}\n` };
  const runner: Record<string, unknown> = {
    name: flags.name ?? ctx.env.RUNNER_NAME ?? "runner",
    url: flags.url ?? flags.u ?? ctx.env.CI_SERVER_URL ?? "",
    token: flags.token ?? flags.t ?? ctx.env.CI_SERVER_TOKEN ?? ctx.env.REGISTRATION_TOKEN ?? "",
    executor: flags.executor ?? ctx.env.RUNNER_EXECUTOR ?? "",
  };
  const cache = cacheFromEnv(ctx.env);
  if (cache) runner.cache = cache;
  const templateFile = flags["template-config"] ?? ctx.env.TEMPLATE_CONFIG_FILE;
  if (templateFile) {
    const template = ctx.fs.read(templateFile);
    if (!template)
      return {
        code: 1,
        output:
          out +
          `FATAL: Could not handle configuration merging from template file  error=couldn't load configuration template file: open ${templateFile}: no such file or directory\n`,
      };
    const parsed = parseRunnerConfig(template.content);
    const runners = parsed.ok ? (parsed.table.runners as Array<Record<string, unknown>> | undefined) : undefined;
    if (!parsed.ok || runners?.length !== 1)
      return {
        code: 1,
        output:
          out +
          "FATAL: Could not handle configuration merging from template file  error=configuration template must contain exactly one [[runners]] entry\n",
      };
    out += `Merging configuration from template file "${templateFile}"\n`;
    for (const [key, value] of Object.entries(runners[0])) runner[key] = mergeEmpty(runner[key], value);
  }
  if (!runner.url) return { code: 2, output: out + "PANIC: The url needs to be entered\n" };
  if (!runner.token) return { code: 2, output: out + "PANIC: The registration-token needs to be entered\n" };
  const token = String(runner.token);
  if (!token.startsWith("glrt-")) {
    return {
      code: 2,
      output:
        out +
        "ERROR: Registering runner... failed (the demo cluster simulates registration with runner authentication tokens only)\nPANIC: Failed to register the runner.\n",
    };
  }
  const answer = ctx.gitlab.verify({ url: String(runner.url), token });
  const short = shortenToken(token, ctx.release);
  if (answer !== "valid") {
    out +=
      answer === "forbidden"
        ? `Verifying runner... is not valid                    runner=${short}\n`
        : `ERROR: Verifying runner... failed                    runner=${short} status=couldn't execute POST against ${runner.url}api/v4/runners/verify\n`;
    return { code: 2, output: out + "PANIC: Failed to verify the runner.\n" };
  }
  out += `Verifying runner... is valid                        runner=${short}\n`;
  const table = base?.ok ? base.table : {};
  const saved = {
    ...table,
    runners: [
      ...((table.runners as unknown[]) ?? []),
      { ...runner, id: 1, token_obtained_at: new Date(ctx.now).toISOString().replace(/\.\d+Z$/, "Z") },
    ],
  };
  const error = ctx.fs.write(file, stringify(saved) + "\n", ctx.now);
  if (error) return { code: 1, output: out + `FATAL: Failed to save config  error=${error}\n` };
  out +=
    "Runner registered successfully. Feel free to start it, but if it's running already the config should be automatically reloaded!\n";
  out += `Configuration (with the authentication token) was saved in "${file}"\n`;
  return { code: 0, output: out };
}

/**
 * `gitlab-runner verify`: verifies every runner, or only those the selector names — `--name`, or
 * `--url` and `--token` together. Up to v19.2.x the selector's url and token default to
 * CI_SERVER_URL and CI_SERVER_TOKEN (release.verifyReadsCredentialsFromEnv).
 */
export function verify(args: string[], ctx: CliContext): CommandResult {
  const flags = parseFlags(args, ["delete"]);
  let out = header(ctx);
  const file = configFileOf(flags, ctx.env);
  const fromEnv = ctx.release.verifyReadsCredentialsFromEnv;
  const name = flags.name ?? flags.n ?? "";
  const url = flags.url ?? flags.u ?? (fromEnv ? ctx.env.CI_SERVER_URL : undefined) ?? "";
  const token = flags.token ?? flags.t ?? (fromEnv ? ctx.env.CI_SERVER_TOKEN : undefined) ?? "";
  const hasSelector = Boolean(name || url || token);
  const content = ctx.fs.read(file);
  const loaded = content ? parseRunnerConfig(content.content) : undefined;
  if (loaded && !loaded.ok) return { code: 1, output: out + `FATAL: ${loaded.error}\n` };
  const runners = (loaded?.ok ? (loaded.config.runners ?? []) : []) as RunnerEntry[];
  let selected = 0;
  let unverified = 0;
  for (const runner of runners) {
    const matches = !hasSelector || runner.name === name || (runner.url === url && runner.token === token);
    if (!matches) continue;
    selected++;
    const runnerToken = runner.token ?? "";
    const short = shortenToken(runnerToken, ctx.release);
    const answer = ctx.gitlab.verify({ url: runner.url ?? "", token: runnerToken });
    if (answer === "valid") {
      out += `Verifying runner... ${runnerToken.startsWith("glrt-") ? "is valid" : "is alive"}                        runner=${short}\n`;
    } else if (answer === "forbidden") {
      out += `${runnerToken.startsWith("glrt-") ? "Verifying runner... is not valid" : "ERROR: Verifying runner... is removed"}                    runner=${short}\n`;
      unverified++;
    } else {
      out += `ERROR: Verifying runner... failed                    runner=${short} status=couldn't execute POST against ${runner.url}api/v4/runners/verify\n`;
    }
  }
  if (hasSelector && selected === 0)
    return { code: 1, output: out + "FATAL: no runner matches the filtering parameters\n" };
  if (unverified > 0) return { code: 1, output: out + "FATAL: Failed to verify runners\n" };
  return { code: 0, output: out };
}

/**
 * [runners.cache] from register's environment: every field of cacheconfig.Config and
 * CacheS3Config has an `env` tag (CACHE_TYPE, CACHE_S3_ACCESS_KEY, …), which is how the Helm
 * chart and ask-ci hand the AccessKey pair from a Secret to register. Undefined when none is set.
 */
function cacheFromEnv(env: Record<string, string>): Record<string, unknown> | undefined {
  const pick = (fields: Record<string, string>, bools: string[] = []) => {
    const out: Record<string, unknown> = {};
    for (const [field, variable] of Object.entries(fields)) {
      const value = env[variable];
      if (value === undefined || value === "") continue;
      out[field] = bools.includes(field) ? value === "true" || value === "1" : value;
    }
    return out;
  };
  const cache = pick({ Type: "CACHE_TYPE", Path: "CACHE_PATH", Shared: "CACHE_SHARED" }, ["Shared"]);
  const s3 = pick(
    {
      ServerAddress: "CACHE_S3_SERVER_ADDRESS",
      AccessKey: "CACHE_S3_ACCESS_KEY",
      SecretKey: "CACHE_S3_SECRET_KEY",
      BucketName: "CACHE_S3_BUCKET_NAME",
      BucketLocation: "CACHE_S3_BUCKET_LOCATION",
      Insecure: "CACHE_S3_INSECURE",
      AuthenticationType: "CACHE_S3_AUTHENTICATION_TYPE",
      PathStyle: "CACHE_S3_PATH_STYLE",
    },
    ["Insecure", "PathStyle"],
  );
  if (Object.keys(s3).length) cache.s3 = s3;
  return Object.keys(cache).length ? cache : undefined;
}

/** mergo.Merge without override, as register merges the template: only empty fields take the template's value, tables field by field. */
function mergeEmpty(target: unknown, source: unknown): unknown {
  const isTable = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (isTable(target) && isTable(source)) {
    const merged: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(source)) merged[key] = mergeEmpty(target[key], value);
    return merged;
  }
  const empty = target === undefined || target === "" || target === 0 || target === false || target === null;
  return empty ? source : target;
}
