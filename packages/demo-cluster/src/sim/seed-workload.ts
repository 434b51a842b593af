import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type { ClusterStore, KubeObject } from "../types";
import { isConflictOrExists } from "./store-writes";

/**
 * The runners the demo cluster deploys on first start: ask-ci's own generated manifests
 * (demo-runners.yaml, written by the dashboard's scripts/demo-runner/generate.ts from the
 * settings a user would enter in the wizard), so the demo shows that our output works.
 */
export function demoWorkloadObjects(): KubeObject[] {
  const text = readFileSync(path.join(__dirname, "demo-runners.yaml"), "utf8");
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

/** Deploys the demo runners (idempotent: objects that already exist are left as they are). */
export function seedDemoWorkload(store: ClusterStore): KubeObject[] {
  const created: KubeObject[] = [];
  for (const object of demoWorkloadObjects()) {
    try {
      created.push(store.create(object));
    } catch (error) {
      if (!isConflictOrExists(error)) throw error;
    }
  }
  return created;
}
