import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { runnerSettingsSchema, type RunnerSettings } from "@/lib/runner-settings/schema";
import type { KubeObject } from "./types";

export const FIXTURES = path.resolve(__dirname, "__fixtures__");

export function loadSettings(file: string): RunnerSettings {
  return runnerSettingsSchema.parse(parse(readFileSync(path.join(FIXTURES, file), "utf8")));
}

export function loadSeedObjects(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(path.join(FIXTURES, "seed", file), "utf8")).map((d) => d.toJS() as KubeObject);
}

export function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found)
    throw new Error(`no ${kind}/${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
  return found;
}
