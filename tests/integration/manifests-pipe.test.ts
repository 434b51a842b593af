import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { DemoCluster } from "@ask-ci/demo-cluster";

// The command docs/manifests.md tells users to run, executed as written through npm and a shell.
const ROOT = path.resolve(import.meta.dirname, "../..");
const EXAMPLE = path.join(ROOT, "lib/manifests/__fixtures__/example-settings.yaml");
const KUBECTL = process.env.KUBECTL ?? "/usr/bin/kubectl";
const documented = /^(npm run -s manifests -- .*--out - .*\| kubectl apply -f -)$/m.exec(
  readFileSync(path.join(ROOT, "docs/manifests.md"), "utf8"),
)?.[1];

// Asynchronous: the demo cluster answers kubectl from this very process.
function sh(command: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn("bash", ["-o", "pipefail", "-c", command], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let cluster: DemoCluster;
let dir: string;

beforeAll(async () => {
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  dir = mkdtempSync(path.join(os.tmpdir(), "manifests-pipe-"));
  cluster = await startDemoCluster({ port: 0, simulate: false, stateDir: path.join(dir, "state") });
  writeFileSync(path.join(dir, "kubeconfig"), cluster.kubeconfig);
});

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run -s manifests … --out - | kubectl apply -f -", () => {
  it("is documented, and prints only YAML on stdout: every document a Kubernetes object", async () => {
    expect(documented).toBeDefined();
    const generate = documented!.split(" | ")[0].replace("settings.yaml", EXAMPLE);
    const { code, stdout } = await sh(generate);
    expect(code).toBe(0);
    const objects = parseAllDocuments(stdout).map((doc) => doc.toJS() as { apiVersion?: string; kind?: string });
    expect(objects.length).toBeGreaterThan(5);
    for (const object of objects)
      expect(object).toMatchObject({ apiVersion: expect.any(String), kind: expect.any(String) });
  });

  it.runIf(existsSync(KUBECTL))("applies cleanly through kubectl into the demo cluster", async () => {
    const command = documented!.replace("settings.yaml", EXAMPLE);
    const { code, stdout, stderr } = await sh(command, { KUBECONFIG: path.join(dir, "kubeconfig") });
    expect({ code, stderr: stderr.split("\n").filter((l) => !l.startsWith("warning: ")) }).toEqual({
      code: 0,
      stderr: [""],
    });
    expect(stdout).toMatch(/deployment\.apps\/\S+ created$/m);
  });
});
