/**
 * Writes lib/manifests/__fixtures__/runner-config-schema.json: the config.toml keys and their
 * types as each supported gitlab-runner release declares them in common/config.go, read from a
 * local clone of gitlab-runner (the struct tags `toml:"…"`). The manifest tests check every key
 * ask-ci writes against it, per version, without needing the clone.
 *
 *   npx tsx scripts/runner-config-schema.ts /path/to/gitlab-runner   (a clone with release tags)
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { RUNNER_VERSIONS } from "@/lib/manifests/runner-release";

/** The tables ask-ci writes into, by Go type name. */
const TYPES = [
  "Config",
  "RunnerConfig",
  "KubernetesConfig",
  "KubernetesVolumes",
  "KubernetesPVC",
  "KubernetesSecret",
  "CacheConfig",
  "CacheS3Config",
] as const;

type TomlType = "string" | "integer" | "boolean" | "float" | "string-map" | "string-list" | "other" | string;

interface GoField {
  name: string;
  type: string;
  toml?: string;
}

function goStructs(source: string): Map<string, GoField[]> {
  const structs = new Map<string, GoField[]>();
  const pattern = /^type (\w+) struct \{\n([\s\S]*?)^\}/gm;
  for (const match of source.matchAll(pattern)) {
    const fields: GoField[] = [];
    for (const line of match[2].split("\n")) {
      const trimmed = line.trim();
      if (!trimmed || trimmed.startsWith("//")) continue;
      const field = /^(\w+)(?:\s+([^`]+?))?\s*(`.*`)?$/.exec(trimmed);
      if (!field) continue;
      const [, name, type, tags] = field;
      const toml = tags ? /toml:"([^"]*)"/.exec(tags)?.[1] : undefined;
      // An embedded struct has no type of its own: its name is the type.
      fields.push({ name, type: (type ?? name).trim(), toml: toml?.split(",")[0] });
    }
    structs.set(match[1], fields);
  }
  return structs;
}

/** Named string types (`type S3AuthType string`): TOML sees a plain string. */
const stringTypes = new Set<string>();

function collectStringTypes(source: string): void {
  for (const match of source.matchAll(/^type (\w+) string$/gm)) stringTypes.add(match[1]);
}

function tomlType(goType: string): TomlType {
  // From 18.0 the cache structs live in package cacheconfig (cacheconfig.Config is the old CacheConfig).
  const type = goType
    .replace(/^\*/, "")
    .replace(/\bcacheconfig\.Config\b/, "CacheConfig")
    .replace(/\bcacheconfig\./, "");
  if (type === "string" || stringTypes.has(type)) return "string";
  if (/^u?int(8|16|32|64)?$/.test(type)) return "integer";
  if (type === "bool") return "boolean";
  if (/^float(32|64)$/.test(type)) return "float";
  if (type === "map[string]string") return "string-map";
  if (type === "[]string") return "string-list";
  if (/^\[\](\*?)(\w+)$/.test(type)) return `list:${type.replace(/^\[\]\*?/, "")}`;
  if (/^\w+$/.test(type)) return `table:${type}`;
  return "other";
}

function keysOf(structs: Map<string, GoField[]>, typeName: string): Record<string, TomlType> {
  const keys: Record<string, TomlType> = {};
  for (const field of structs.get(typeName) ?? []) {
    if (field.toml === "-") continue;
    if (field.toml === undefined || field.toml === "") {
      // Embedded structs (RunnerCredentials, RunnerSettings) put their keys at this level.
      if (field.type === field.name && structs.has(field.name)) Object.assign(keys, keysOf(structs, field.name));
      continue;
    }
    keys[field.toml] = tomlType(field.type);
  }
  return keys;
}

/** A file at a release tag, or undefined where that release does not have it. */
function gitShow(repo: string, version: string, file: string): string | undefined {
  try {
    return execFileSync("git", ["-C", repo, "show", `${version}:${file}`], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch {
    return undefined;
  }
}

function main(): void {
  const repo = process.argv[2];
  if (!repo) throw new Error("usage: tsx scripts/runner-config-schema.ts <gitlab-runner clone>");
  const schema: Record<string, Record<string, Record<string, TomlType>>> = {};
  for (const version of RUNNER_VERSIONS) {
    const source = gitShow(repo, version, "common/config.go");
    if (!source) throw new Error(`${repo} has no common/config.go at ${version} (a clone with release tags?)`);
    collectStringTypes(source);
    const structs = goStructs(source);
    const cacheSource = gitShow(repo, version, "cache/cacheconfig/cacheconfig.go");
    if (cacheSource) collectStringTypes(cacheSource);
    if (cacheSource)
      for (const [name, fields] of goStructs(cacheSource))
        structs.set(name === "Config" ? "CacheConfig" : name, fields);
    schema[version] = Object.fromEntries(TYPES.map((type) => [type, keysOf(structs, type)]));
  }
  const out = path.join(process.cwd(), "lib/manifests/__fixtures__/runner-config-schema.json");
  writeFileSync(out, JSON.stringify(schema, null, 2) + "\n");
  console.log(`wrote ${out}`);
}

main();
