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
export function seedDemoWorkload(store: ClusterStore, objects: KubeObject[] = demoWorkloadObjects()): KubeObject[] {
  const created: KubeObject[] = [];
  for (const object of objects) {
    try {
      created.push(store.create(object));
    } catch (error) {
      if (!isConflictOrExists(error)) throw error;
    }
  }
  return created;
}

/**
 * A workload handed in by the caller (`npm run demo`: its runners registered in the demo GitLab):
 * deployed on first start; on a later start the objects that still exist are replaced by the
 * given ones, so a new token or GitLab URL reaches the runner, while what a user removed stays
 * removed. Replacing with equal content changes nothing (no new resourceVersion).
 */
export function refreshWorkload(store: ClusterStore, objects: KubeObject[]): void {
  for (const object of objects) {
    const existing = store.get(object, object.metadata.namespace, object.metadata.name);
    if (!existing) continue;
    store.update({ ...object, metadata: { ...object.metadata, resourceVersion: existing.metadata.resourceVersion } });
  }
}
