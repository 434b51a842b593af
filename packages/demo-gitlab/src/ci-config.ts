import { parseDocument } from "yaml";
import type { ArtifactsSpec, CacheSpec, ImageSpec, JobWhen, ServiceSpec } from "./model";

/**
 * The subset of .gitlab-ci.yml keywords the demo GitLab understands, read as GitLab's CI config
 * reference describes them (https://docs.gitlab.com/ci/yaml/). Keywords that change what a
 * pipeline does and are not modelled (include, trigger, parallel:matrix, …) are configuration
 * errors, so a config never silently means something else here than on GitLab.
 */
export interface JobDefinition {
  name: string;
  stage: string;
  script: string[];
  beforeScript: string[];
  afterScript: string[];
  image: ImageSpec | null;
  services: ServiceSpec[];
  tags: string[];
  when: JobWhen;
  allowFailure: boolean;
  needs: string[] | null;
  variables: Record<string, string>;
  /** Seconds; null for the project's default. */
  timeout: number | null;
  retryMax: number;
  retryWhen: string[];
  artifacts: ArtifactsSpec | null;
  cache: CacheSpec[];
  rules: Rule[] | null;
  only: RefFilter | null;
  except: RefFilter | null;
}

export interface Rule {
  if?: string;
  when?: JobWhen;
  allowFailure?: boolean;
  variables?: Record<string, string>;
}

export interface RefFilter {
  refs: string[];
}

export interface CiConfig {
  stages: string[];
  variables: Record<string, string>;
  workflowRules: Rule[] | null;
  jobs: JobDefinition[];
}

export type ParseResult = { ok: true; config: CiConfig } | { ok: false; errors: string[] };

const DEFAULT_STAGES = ["build", "test", "deploy"];
const RESERVED = new Set([
  "image",
  "services",
  "stages",
  "types",
  "before_script",
  "after_script",
  "variables",
  "cache",
  "default",
  "workflow",
  "include",
  "pages:deploy",
]);
const DEFAULT_KEYS = [
  "image",
  "services",
  "before_script",
  "after_script",
  "tags",
  "timeout",
  "retry",
  "cache",
  "artifacts",
  "interruptible",
];
const JOB_KEYS = new Set([
  "stage",
  "script",
  "before_script",
  "after_script",
  "image",
  "services",
  "tags",
  "when",
  "allow_failure",
  "needs",
  "variables",
  "timeout",
  "retry",
  "artifacts",
  "cache",
  "rules",
  "only",
  "except",
  "extends",
  "environment",
  "coverage",
  "interruptible",
  "dependencies",
  "resource_group",
  "parallel",
  "id_tokens",
  "hooks",
  "release",
]);
const UNSUPPORTED_JOB_KEYS = new Set(["trigger", "inherit", "secrets", "pages", "start_in", "manual_confirmation"]);
const RETRY_WHEN = new Set([
  "always",
  "unknown_failure",
  "script_failure",
  "api_failure",
  "stuck_or_timeout_failure",
  "runner_system_failure",
  "runner_unsupported",
  "stale_schedule",
  "job_execution_timeout",
  "archived_failure",
  "unmet_prerequisites",
  "scheduler_failure",
  "data_integrity_failure",
]);

type Raw = Record<string, unknown>;

class ConfigError extends Error {}

export function parseCiConfig(source: string): ParseResult {
  const doc = parseDocument(source, { merge: true, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return { ok: false, errors: [`(<unknown>): ${doc.errors[0].message.split("\n")[0]}`] };
  }
  const root = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  if (!isObject(root)) return { ok: false, errors: ["Invalid configuration format"] };
  try {
    return { ok: true, config: readConfig(root) };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, errors: [e.message] };
    throw e;
  }
}

function readConfig(root: Raw): CiConfig {
  if ("include" in root) throw new ConfigError("include config is not supported by the demo GitLab");
  const declaredStages = root.stages ?? root.types;
  const stages = declaredStages === undefined ? DEFAULT_STAGES : stringList(declaredStages, "stages config");
  const allStages = [".pre", ...stages.filter((s) => s !== ".pre" && s !== ".post"), ".post"];
  const defaults: Raw = isObject(root.default) ? { ...root.default } : {};
  for (const key of ["image", "services", "before_script", "after_script", "cache"]) {
    if (key in root && !(key in defaults)) defaults[key] = root[key];
  }
  const variables = variablesOf(root.variables, "variables config");
  const workflowRules =
    isObject(root.workflow) && root.workflow.rules ? rulesOf(root.workflow.rules, "workflow") : null;

  const templates = new Map<string, Raw>();
  for (const [name, value] of Object.entries(root)) {
    if (RESERVED.has(name)) continue;
    if (!isObject(value)) {
      if (name.startsWith(".")) continue;
      throw new ConfigError(`jobs:${name} config should be a hash`);
    }
    templates.set(name, value);
  }

  const jobs: JobDefinition[] = [];
  for (const [name, raw] of templates) {
    if (name.startsWith(".")) continue;
    const merged = resolveExtends(name, raw, templates, []);
    jobs.push(...expandParallel(readJob(name, merged, defaults, allStages), merged.parallel));
  }
  if (jobs.length === 0) throw new ConfigError("jobs config should contain at least one visible job");
  const names = new Set(jobs.map((j) => j.name));
  for (const job of jobs) {
    for (const need of job.needs ?? []) {
      if (!names.has(need)) throw new ConfigError(`${job.name} job: undefined need: ${need}`);
      const needed = jobs.find((j) => j.name === need)!;
      if (allStages.indexOf(needed.stage) > allStages.indexOf(job.stage)) {
        throw new ConfigError(`${job.name} job: need ${need} is not defined in current or prior stages`);
      }
    }
  }
  const usedStages = allStages.filter((s) => jobs.some((j) => j.stage === s));
  return { stages: usedStages, variables, workflowRules, jobs };
}

function resolveExtends(name: string, raw: Raw, templates: Map<string, Raw>, seen: string[]): Raw {
  if (raw.extends === undefined) return raw;
  if (seen.includes(name)) throw new ConfigError(`${name}: circular dependency detected in \`extends\``);
  if (seen.length > 10) throw new ConfigError(`${name}: nesting too deep in \`extends\``);
  const parents = typeof raw.extends === "string" ? [raw.extends] : stringList(raw.extends, `${name}:extends`);
  let base: Raw = {};
  for (const parentName of parents) {
    const parent = templates.get(parentName);
    if (!parent) throw new ConfigError(`${name}: unknown keys in \`extends\` (${parentName})`);
    base = deepMerge(base, resolveExtends(parentName, parent, templates, [...seen, name]));
  }
  const own = { ...raw };
  delete own.extends;
  return deepMerge(base, own);
}

/** `extends` merges hashes deeply and replaces everything else, as GitLab documents. */
function deepMerge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = isObject(value) && isObject(out[key]) ? deepMerge(out[key] as Raw, value) : value;
  }
  return out;
}

function readJob(name: string, raw: Raw, defaults: Raw, stages: string[]): JobDefinition {
  const where = `jobs:${name}`;
  for (const key of Object.keys(raw)) {
    if (UNSUPPORTED_JOB_KEYS.has(key))
      throw new ConfigError(`${where} config key ${key} is not supported by the demo GitLab`);
    if (!JOB_KEYS.has(key)) throw new ConfigError(`${where} config contains unknown keys: ${key}`);
  }
  const pick = (key: string) => (key in raw ? raw[key] : DEFAULT_KEYS.includes(key) ? defaults[key] : undefined);
  const stage = raw.stage === undefined ? "test" : String(raw.stage);
  if (!stages.includes(stage)) {
    throw new ConfigError(
      `${name} job: chosen stage ${stage} does not exist; available stages are ${stages.join(", ")}`,
    );
  }
  const script = scriptOf(raw.script, `${where}:script`);
  if (script.length === 0)
    throw new ConfigError(`${where} config should implement the script:, run:, or trigger: keyword`);
  const when = (raw.when ?? "on_success") as JobWhen;
  if (!["on_success", "on_failure", "always", "manual", "never", "delayed"].includes(when)) {
    throw new ConfigError(`${where} when should be one of: on_success, on_failure, always, manual, delayed, never`);
  }
  if ((when as string) === "delayed")
    throw new ConfigError(`${where} when: delayed is not supported by the demo GitLab`);
  const retry = retryOf(pick("retry"), where);
  return {
    name,
    stage,
    script,
    beforeScript: scriptOf(pick("before_script"), `${where}:before_script`),
    afterScript: scriptOf(pick("after_script"), `${where}:after_script`),
    image: imageOf(pick("image"), `${where}:image`),
    services: servicesOf(pick("services"), `${where}:services`),
    tags: pick("tags") === undefined ? [] : stringList(pick("tags"), `${where}:tags`),
    when,
    // Manual jobs may fail by default; everything else must pass (GitLab's allow_failure default).
    allowFailure: allowFailureOf(raw.allow_failure, when === "manual", where),
    needs: needsOf(raw.needs, where),
    variables: variablesOf(raw.variables, `${where}:variables`),
    timeout: pick("timeout") === undefined ? null : durationOf(pick("timeout"), `${where}:timeout`),
    retryMax: retry.max,
    retryWhen: retry.when,
    artifacts: artifactsOf(pick("artifacts"), where),
    cache: cacheOf(pick("cache"), where),
    rules: raw.rules === undefined ? null : rulesOf(raw.rules, where),
    only: refFilterOf(raw.only, `${where}:only`),
    except: refFilterOf(raw.except, `${where}:except`),
  };
}

/** `parallel: N` makes N jobs "name 1/N" … "name N/N", each told its index in CI_NODE_INDEX. */
function expandParallel(job: JobDefinition, parallel: unknown): JobDefinition[] {
  if (parallel === undefined) return [job];
  if (isObject(parallel)) throw new ConfigError(`jobs:${job.name}:parallel matrix is not supported by the demo GitLab`);
  if (typeof parallel !== "number" || !Number.isInteger(parallel) || parallel < 1 || parallel > 200) {
    throw new ConfigError(`jobs:${job.name}:parallel should be an integer or a hash`);
  }
  if (parallel === 1) return [job];
  return Array.from({ length: parallel }, (_, i) => ({
    ...job,
    name: `${job.name} ${i + 1}/${parallel}`,
    variables: { ...job.variables, CI_NODE_INDEX: String(i + 1), CI_NODE_TOTAL: String(parallel) },
  }));
}

function scriptOf(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [value];
  if (!Array.isArray(value))
    throw new ConfigError(`${where} config should be a string or a nested array of strings up to 10 levels deep`);
  return value.flat(10).map((line) => {
    if (typeof line !== "string" && typeof line !== "number" && typeof line !== "boolean") {
      throw new ConfigError(`${where} config should be a string or a nested array of strings up to 10 levels deep`);
    }
    return String(line);
  });
}

function imageOf(value: unknown, where: string): ImageSpec | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return { name: value };
  if (isObject(value) && typeof value.name === "string") {
    return {
      name: value.name,
      entrypoint: value.entrypoint === undefined ? undefined : stringList(value.entrypoint, `${where}:entrypoint`),
      pullPolicy:
        value.pull_policy === undefined
          ? undefined
          : typeof value.pull_policy === "string"
            ? [value.pull_policy]
            : stringList(value.pull_policy, `${where}:pull_policy`),
    };
  }
  throw new ConfigError(`${where} config should be a hash or a string`);
}

function servicesOf(value: unknown, where: string): ServiceSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ConfigError(`${where} config should be a array`);
  return value.map((item) => {
    if (typeof item === "string") return { name: item };
    if (isObject(item) && typeof item.name === "string") {
      return {
        name: item.name,
        alias: item.alias === undefined ? undefined : String(item.alias),
        command: item.command === undefined ? undefined : stringList(item.command, `${where}:command`),
        entrypoint: item.entrypoint === undefined ? undefined : stringList(item.entrypoint, `${where}:entrypoint`),
        variables: item.variables === undefined ? undefined : variablesOf(item.variables, `${where}:variables`),
      };
    }
    throw new ConfigError(`${where} config should be a hash or a string`);
  });
}

function allowFailureOf(value: unknown, manual: boolean, where: string): boolean {
  if (value === undefined) return manual;
  if (typeof value === "boolean") return value;
  if (isObject(value) && "exit_codes" in value) return false;
  throw new ConfigError(`${where} allow_failure should be a hash or a boolean value`);
}

function needsOf(value: unknown, where: string): string[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value)) throw new ConfigError(`${where} needs config should be an array`);
  return value.map((item) => {
    if (typeof item === "string") return item;
    if (isObject(item) && typeof item.job === "string") return item.job;
    throw new ConfigError(`${where} needs config can only be a string or a hash`);
  });
}

function variablesOf(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new ConfigError(`${where} config should be a hash of key value pairs`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (isObject(v)) out[key] = v.value === undefined ? "" : String(v.value);
    else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[key] = String(v);
    else throw new ConfigError(`${where} config should be a hash of key value pairs, value can be a hash`);
  }
  return out;
}

function retryOf(value: unknown, where: string): { max: number; when: string[] } {
  if (value === undefined || value === null) return { max: 0, when: ["always"] };
  const check = (max: unknown) => {
    if (typeof max !== "number" || !Number.isInteger(max) || max < 0 || max > 2) {
      throw new ConfigError(`${where}:retry max must be 0, 1, or 2`);
    }
    return max;
  };
  if (typeof value === "number") return { max: check(value), when: ["always"] };
  if (isObject(value)) {
    const when =
      value.when === undefined
        ? ["always"]
        : typeof value.when === "string"
          ? [value.when]
          : stringList(value.when, `${where}:retry:when`);
    for (const w of when)
      if (!RETRY_WHEN.has(w)) throw new ConfigError(`${where}:retry when contains unknown values: ${w}`);
    return { max: check(value.max ?? 0), when };
  }
  throw new ConfigError(`${where} retry config should be an integer or a hash`);
}

const UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
};

/** Durations as GitLab reads them (ChronicDuration): "1h 30m", "90 minutes", "3600". */
export function durationOf(value: unknown, where: string): number {
  if (typeof value === "number" && value > 0) return Math.round(value);
  const text = String(value).trim().toLowerCase();
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  let matched = "";
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/g)) {
    const unit = UNITS[m[2]];
    if (!unit) throw new ConfigError(`${where} config should be a duration`);
    total += Number(m[1]) * unit;
    matched += m[0];
  }
  if (total <= 0 || matched.replace(/\s/g, "") !== text.replace(/\s|and|,/g, "")) {
    throw new ConfigError(`${where} config should be a duration`);
  }
  return Math.round(total);
}

function artifactsOf(value: unknown, where: string): ArtifactsSpec | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw new ConfigError(`${where}:artifacts config should be a hash`);
  const reports = isObject(value.reports) ? value.reports : {};
  return {
    name: value.name === undefined ? undefined : String(value.name),
    paths: value.paths === undefined ? [] : stringList(value.paths, `${where}:artifacts:paths`),
    exclude: value.exclude === undefined ? undefined : stringList(value.exclude, `${where}:artifacts:exclude`),
    when: (value.when as ArtifactsSpec["when"]) ?? "on_success",
    expireIn: value.expire_in === undefined ? undefined : String(value.expire_in),
    untracked: value.untracked === true,
    reportsJunit:
      reports.junit === undefined
        ? undefined
        : typeof reports.junit === "string"
          ? [reports.junit]
          : stringList(reports.junit, `${where}:artifacts:reports:junit`),
  };
}

function cacheOf(value: unknown, where: string): CacheSpec[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (!isObject(item)) throw new ConfigError(`${where}:cache config should be a hash or an array of hashes`);
    const key = isObject(item.key) ? "default" : item.key === undefined ? "default" : String(item.key);
    return {
      key,
      paths: item.paths === undefined ? [] : stringList(item.paths, `${where}:cache:paths`),
      policy: (item.policy as CacheSpec["policy"]) ?? "pull-push",
      when: (item.when as CacheSpec["when"]) ?? "on_success",
      untracked: item.untracked === true,
    };
  });
}

function rulesOf(value: unknown, where: string): Rule[] {
  if (!Array.isArray(value)) throw new ConfigError(`${where}:rules config should be an array of hashes`);
  return value.map((item) => {
    if (!isObject(item)) throw new ConfigError(`${where}:rules config should be an array of hashes`);
    for (const key of Object.keys(item)) {
      if (!["if", "when", "allow_failure", "variables"].includes(key)) {
        throw new ConfigError(`${where}:rules:rule ${key} is not supported by the demo GitLab`);
      }
    }
    return {
      if: item.if === undefined ? undefined : String(item.if),
      when: item.when as JobWhen | undefined,
      allowFailure: typeof item.allow_failure === "boolean" ? item.allow_failure : undefined,
      variables: item.variables === undefined ? undefined : variablesOf(item.variables, `${where}:rules:variables`),
    };
  });
}

function refFilterOf(value: unknown, where: string): RefFilter | null {
  if (value === undefined) return null;
  if (Array.isArray(value) || typeof value === "string") {
    return { refs: typeof value === "string" ? [value] : stringList(value, where) };
  }
  if (isObject(value) && value.refs !== undefined) return { refs: stringList(value.refs, `${where}:refs`) };
  throw new ConfigError(`${where} config should be an array of strings or a hash`);
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) throw new ConfigError(`${where} should be an array of strings`);
  return value.map((item) => {
    if (typeof item !== "string" && typeof item !== "number")
      throw new ConfigError(`${where} should be an array of strings`);
    return String(item);
  });
}

function isObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
