import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import { generateManifests } from "@/lib/manifests";
import { runnerSettingsSchema, type RunnerSettings } from "@/lib/runner-settings/schema";
import { useFreshDatabase } from "@/tests/test-db";
import type { ApplyEvent, ObjectResult } from "@/lib/apply/types";

// Server code, a real HTTPS API server and a child kubectl: slower than a unit test.
const KUBECTL = "/usr/bin/kubectl";

const settings: RunnerSettings = runnerSettingsSchema.parse({
  cluster: { namespace: "ci-apply-test", instanceName: "it-runner" },
  gitlab: {
    url: "https://gitlab.example.com/",
    runnerToken: "glrt-integration_test_token_0123",
    runnerName: "it-eci-runner",
    concurrent: 3,
  },
  jobPods: {
    image: "maven:3.9.9-eclipse-temurin-21",
    build: { cpuRequest: "1", cpuLimit: "1500m", memoryRequest: "2Gi", memoryLimit: "3Gi" },
    helper: { cpuRequest: "250m", cpuLimit: "500m", memoryRequest: "512Mi", memoryLimit: "1Gi" },
    podAnnotations: { "ci.example.com/team": "platform" },
    spot: { strategy: "SpotAsPriceGo" },
  },
  storage: {
    volumes: [
      {
        name: "cache",
        mountPath: "/cache",
        size: "50Gi",
        backend: { kind: "nas", server: "0123abcd-xyz12.cn-hangzhou.nas.aliyuncs.com", path: "/ci/cache" },
      },
    ],
  },
  registry: {
    server: "registry.cn-hangzhou.aliyuncs.com",
    username: "ci-pusher",
    password: "integration-registry-password",
  },
  imageCache: {
    images: ["gitlab/gitlab-runner:v17.11.0", "maven:3.9.9-eclipse-temurin-21"],
    sizeGiB: 40,
    retentionDays: 7,
  },
});

let cluster: DemoCluster;
let kc: KubeConfig;
let kubeconfigFile: string;
let engine: typeof import("@/lib/apply/engine.server");
let run: typeof import("@/lib/apply/run.server");
let uninstall: typeof import("@/lib/apply/uninstall.server");
let db: typeof import("@/lib/db.server").db;

interface KubectlResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

// Asynchronous on purpose: the demo cluster serves from this process, so a blocking spawnSync
// would stall it and kubectl would time out on the TLS handshake.
function kubectl(args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, ["--kubeconfig", kubeconfigFile, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}
const outcomes = (results: ObjectResult[]) => results.map((r) => r.outcome);

beforeAll(async () => {
  const { dir } = useFreshDatabase();
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  cluster = await startDemoCluster({ port: 0, stateDir: path.join(dir, "cluster"), jobsPerMinute: 30 });
  kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  kubeconfigFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-kubectl-")), "config");
  fs.writeFileSync(kubeconfigFile, cluster.kubeconfig, { mode: 0o600 });
  engine = await import("@/lib/apply/engine.server");
  run = await import("@/lib/apply/run.server");
  uninstall = await import("@/lib/apply/uninstall.server");
  db = (await import("@/lib/db.server")).db;
});

afterAll(async () => {
  await cluster?.stop();
});

// A scenario: apply to an empty cluster, re-apply, change, prune, fail and retry, uninstall. Each
// step starts from the cluster the one before left, as an operator's cluster does; the steps run in
// the order written, also when the suite is shuffled (docs/testing.md, "Order independence").
describe("apply, re-apply and uninstall against one demo cluster", { shuffle: false }, () => {
  describe("apply to the demo cluster", () => {
    it("dry run on an empty cluster predicts every object created and stores nothing", async () => {
      const objects = generateManifests(settings);
      const results = await engine.applyObjects(kc, objects, { owner: settings.cluster, dryRun: true });
      expect(results.map((r) => r.message ?? "")).toEqual(
        objects.map((o) => (o.metadata.namespace ? "Checked once namespace ci-apply-test exists" : "")),
      );
      expect(outcomes(results).every((o) => o === "created")).toBe(true);
      expect(results.find((r) => r.ref.kind === "Secret")?.diff).not.toContain(
        Buffer.from("glrt-integration_test_token_0123").toString("base64"),
      );
      expect((await kubectl(["get", "namespace", "ci-apply-test"])).status).not.toBe(0);
    }, 90_000);

    it("applies every object in order, waits for the runner and records the apply", async () => {
      const events: ApplyEvent[] = [];
      const done = await run.runSetupAction({
        mode: "apply",
        settings,
        kc,
        username: "admin",
        onEvent: (e) => events.push(e),
        rolloutTimeoutMs: 60_000,
      });
      expect(done.message).toBeUndefined();
      expect(done.ok).toBe(true);
      expect(outcomes(done.results).every((o) => o === "created")).toBe(true);
      expect(done.rollout?.available).toBe(true);
      expect(events[0]).toMatchObject({ type: "plan", mode: "apply" });
      expect(events.filter((e) => e.type === "object")).toHaveLength(generateManifests(settings).length);
      expect(events.at(-1)?.type).toBe("done");

      const record = await db.applyRecord.findUniqueOrThrow({ where: { id: done.recordId } });
      expect(record).toMatchObject({ action: "apply", username: "admin", result: "succeeded" });
      expect(JSON.parse(record.objects)).toHaveLength(done.results.length);
      expect(record.objects).not.toContain("glrt-");
    }, 90_000);

    it("kubectl get finds every object", async () => {
      for (const object of generateManifests(settings)) {
        const resource = object.kind === "ImageCache" ? "imagecaches.eci.alibabacloud.com" : object.kind.toLowerCase();
        const args = ["get", resource, object.metadata.name, "-o", "name"];
        if (object.metadata.namespace) args.push("-n", object.metadata.namespace);
        const result = await kubectl(args);
        expect(result.stderr, `${object.kind}/${object.metadata.name}`).toBe("");
        expect(result.status).toBe(0);
      }
      const deployment = JSON.parse(
        (
          await kubectl([
            "-n",
            "ci-apply-test",
            "get",
            "deployment",
            "it-runner",
            "-o",
            "json",
            "--show-managed-fields",
          ])
        ).stdout,
      );
      expect(deployment.metadata.managedFields.map((f: { manager: string }) => f.manager)).toContain("ask-ci");
    }, 90_000);

    it("re-applying unchanged settings changes nothing", async () => {
      const objects = generateManifests(settings);
      const dryRun = await engine.applyObjects(kc, objects, { owner: settings.cluster, dryRun: true });
      expect(dryRun.filter((r) => r.outcome !== "unchanged").map((r) => `${r.ref.kind}: ${r.diff}`)).toEqual([]);
      const again = await engine.applyObjects(kc, objects, { owner: settings.cluster });
      expect(outcomes(again)).toEqual(objects.map(() => "unchanged"));
    }, 90_000);

    it("a changed setting shows up in the dry-run diff and configures only what changed", async () => {
      const changed = runnerSettingsSchema.parse({ ...settings, gitlab: { ...settings.gitlab, concurrent: 5 } });
      const dryRun = await engine.applyObjects(kc, generateManifests(changed), {
        owner: settings.cluster,
        dryRun: true,
      });
      const configMap = dryRun.find((r) => r.ref.kind === "ConfigMap");
      expect(configMap?.outcome).toBe("configured");
      expect(configMap?.diff).toContain("concurrent = 5");
      expect(dryRun.find((r) => r.ref.kind === "Namespace")?.outcome).toBe("unchanged");
      await engine.applyObjects(kc, generateManifests(settings), { owner: settings.cluster });
    }, 90_000);

    it("a volume removed from the settings is pruned: the dry run shows it, the apply deletes it", async () => {
      const withoutVolume = runnerSettingsSchema.parse({ ...settings, storage: { volumes: [] } });
      const stale = ["PersistentVolumeClaim/it-runner-cache-pvc", "PersistentVolume/it-runner-cache-pv"];
      const pruned = (results: ObjectResult[]) =>
        results.filter((r) => r.message === "No longer in the settings").map((r) => `${r.ref.kind}/${r.ref.name}`);

      const dryRun = await run.runSetupAction({
        mode: "dry-run",
        settings: withoutVolume,
        kc,
        username: "admin",
        onEvent: () => undefined,
      });
      expect(dryRun.ok).toBe(true);
      expect(pruned(dryRun.results)).toEqual(stale);
      expect((await kubectl(["-n", "ci-apply-test", "get", "pvc", "it-runner-cache-pvc"])).status).toBe(0);

      const applied = await run.runSetupAction({
        mode: "apply",
        settings: withoutVolume,
        kc,
        username: "admin",
        onEvent: () => undefined,
        rolloutTimeoutMs: 60_000,
      });
      expect(applied.message).toBeUndefined();
      expect(pruned(applied.results)).toEqual(stale);
      expect((await kubectl(["-n", "ci-apply-test", "get", "pvc", "it-runner-cache-pvc"])).stderr).toMatch(/NotFound/);
      expect((await kubectl(["get", "pv", "it-runner-cache-pv"])).stderr).toMatch(/NotFound/);

      // Back to the full settings: the volume comes back, nothing else is pruned.
      const restored = await run.runSetupAction({
        mode: "apply",
        settings,
        kc,
        username: "admin",
        onEvent: () => undefined,
        rolloutTimeoutMs: 60_000,
      });
      expect(restored.ok).toBe(true);
      expect(pruned(restored.results)).toEqual([]);
    }, 150_000);

    it("job pods appear with the configured resources and annotations", async () => {
      const core = kc.makeApiClient(CoreV1Api);
      const deadline = Date.now() + 45_000;
      let pod;
      while (!pod && Date.now() < deadline) {
        const pods = await core.listNamespacedPod({
          namespace: "ci-apply-test",
          labelSelector: `manager.runner.gitlab.com/name=${settings.gitlab.runnerName}`,
        });
        pod = pods.items[0];
        if (!pod) await new Promise((r) => setTimeout(r, 500));
      }
      expect(pod, "a job pod of the applied runner").toBeDefined();
      const build = pod!.spec!.containers.find((c) => c.name === "build");
      expect(build?.resources?.limits).toMatchObject({ cpu: "1500m", memory: "3Gi" });
      expect(pod!.metadata!.annotations).toMatchObject({
        "ci.example.com/team": "platform",
        "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo",
      });
    }, 60_000);
  });

  describe("failures", () => {
    it("a failure mid-way reports what was applied, and a retry after the fix completes", async () => {
      const other = runnerSettingsSchema.parse({
        ...settings,
        cluster: { namespace: "ci-apply-partial", instanceName: "partial" },
      });
      const objects = generateManifests(other);
      // One object the API server rejects, late in the list: everything before it is applied.
      const broken = objects.map((o) =>
        o.kind === "Deployment" ? { ...o, spec: { ...(o.spec as object), replicas: -1 } } : o,
      );
      const results = await engine.applyObjects(kc, broken, { owner: other.cluster });
      const failedAt = results.findIndex((r) => r.outcome === "failed");
      expect(results[failedAt].ref.kind).toBe("Deployment");
      expect(results[failedAt].message).toMatch(/replicas/);
      expect(outcomes(results.slice(0, failedAt)).every((o) => o === "created" || o === "configured")).toBe(true);

      const retry = await engine.applyObjects(kc, objects, { owner: other.cluster });
      expect(outcomes(retry.slice(0, failedAt)).every((o) => o === "unchanged")).toBe(true);
      expect(retry[failedAt].outcome).toBe("created");
      await uninstall.uninstallInstance(kc, other.cluster);
    }, 90_000);

    it("the limited token fails on the first object with the API server's message and skips the rest", async () => {
      const limited = new KubeConfig();
      limited.loadFromString(cluster.limitedKubeconfig);
      const results = await engine.applyObjects(limited, generateManifests(settings), { owner: settings.cluster });
      expect(results[0]).toMatchObject({ outcome: "failed" });
      expect(results[0].message).toMatch(/forbidden/i);
      expect(outcomes(results.slice(1)).every((o) => o === "skipped")).toBe(true);
    }, 90_000);
  });

  describe("uninstall", () => {
    it("deletes everything ask-ci applied and leaves nothing", async () => {
      const done = await run.runSetupAction({
        mode: "uninstall",
        settings,
        kc,
        username: "admin",
        onEvent: () => undefined,
      });
      expect(done.ok).toBe(true);
      expect(done.results.length).toBeGreaterThanOrEqual(generateManifests(settings).length);
      expect(outcomes(done.results).every((o) => o === "deleted")).toBe(true);
      expect(await uninstall.findInstanceObjects(kc, settings.cluster)).toEqual([]);
      for (const args of [
        ["get", "namespace", "ci-apply-test"],
        ["get", "pv", "it-runner-cache-pv"],
        ["get", "imagecaches.eci.alibabacloud.com", "it-runner"],
      ]) {
        const result = await kubectl(args);
        expect(result.stderr, args.join(" ")).toMatch(/NotFound/);
      }
    }, 90_000);
  });
});
