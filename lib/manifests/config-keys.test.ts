import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { runnerSettingsSchema } from "@/lib/runner-settings/schema";
import { settingsInput } from "./arbitraries";
import { globalConfigToml, runnerTemplateToml } from "./config-toml";
import { RUNNER_VERSIONS } from "./runner-release";
import schemaByVersion from "./__fixtures__/runner-config-schema.json";

// The config.toml keys and types each supported release declares in common/config.go
// (scripts/runner-config-schema.ts reads them from gitlab-runner's source). A typo such as the
// seed's `readonly` is silently ignored by the runner, and a value of the wrong type makes the
// whole file fail to load, so every key we write must exist with a matching type.
type Schema = Record<string, Record<string, string>>;

function typeProblem(value: unknown, declared: string, schema: Schema, where: string): string[] {
  const is = (ok: boolean) => (ok ? [] : [`${where}: ${JSON.stringify(value)} is not ${declared}`]);
  if (declared === "string") return is(typeof value === "string");
  if (declared === "integer") return is(typeof value === "number" && Number.isInteger(value));
  if (declared === "boolean") return is(typeof value === "boolean");
  if (declared === "string-map")
    return is(typeof value === "object" && value !== null && Object.values(value).every((v) => typeof v === "string"));
  if (declared === "string-list") return is(Array.isArray(value) && value.every((v) => typeof v === "string"));
  // pull_policy: the runner's StringOrArray takes one policy or a list.
  if (declared === "table:StringOrArray")
    return is(typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string")));
  const list = /^list:(\w+)$/.exec(declared);
  if (list) {
    if (!Array.isArray(value)) return [`${where} is not a list`];
    return value.flatMap((item, i) => tableProblems(item, list[1], schema, `${where}[${i}]`));
  }
  const table = /^table:(\w+)$/.exec(declared);
  if (table) return tableProblems(value, table[1], schema, where);
  return [`${where}: type ${declared} is not checked by this test; extend it before writing this key`];
}

function tableProblems(value: unknown, typeName: string, schema: Schema, where: string): string[] {
  const keys = schema[typeName];
  if (!keys) return [`${where}: no keys recorded for ${typeName}`];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${where} is not a table`];
  return Object.entries(value).flatMap(([key, v]) =>
    key in keys ? typeProblem(v, keys[key], schema, `${where}.${key}`) : [`${where}.${key} is not a ${typeName} key`],
  );
}

describe("config.toml keys and types", () => {
  it("records every supported release", () => {
    expect(Object.keys(schemaByVersion).sort()).toEqual([...RUNNER_VERSIONS].sort());
  });

  it.each(RUNNER_VERSIONS)("are all keys of the right type in %s", (version) => {
    const schema = (schemaByVersion as Record<string, Schema>)[version];
    fc.assert(
      fc.property(settingsInput, (input) => {
        const s = runnerSettingsSchema.parse({
          ...input,
          runnerPod: { ...input.runnerPod, version },
          gitlab: { ...input.gitlab, caCertificate: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" },
        });
        const config = { ...parse(globalConfigToml(s)), ...parse(runnerTemplateToml(s)) };
        expect(tableProblems(config, "Config", schema, "config.toml")).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it("catches a key the runner does not know and a value of the wrong type", () => {
    const schema = (schemaByVersion as Record<string, Schema>)["v19.3.0"];
    const config = { concurrent: "4", runners: [{ name: "r", kubernetes: { readonly: true, poll_timeout: 600 } }] };
    expect(tableProblems(config, "Config", schema, "config.toml")).toEqual([
      'config.toml.concurrent: "4" is not integer',
      "config.toml.runners[0].kubernetes.readonly is not a KubernetesConfig key",
    ]);
  });
});
