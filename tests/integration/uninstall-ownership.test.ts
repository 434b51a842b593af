import path from "node:path";
import { CoreV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import type { ApplyEvent, ObjectResult } from "@/lib/apply/types";
import { runnerSettingsSchema, type RunnerSettings } from "@/lib/runner-settings/schema";
import { cookieJar } from "@/tests/mock-next-headers";
import { useFreshDatabase } from "@/tests/test-db";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

// ask-ci may only ever delete what it created. Every uninstall path (the route the wizard's
// Uninstall button calls, runSetupAction, uninstallInstance, and pruning during an apply) runs
// here against objects ask-ci did not create, and each of them must survive.

let cluster: DemoCluster;
let kc: KubeConfig;
let core: CoreV1Api;
let objects: KubernetesObjectApi;
let run: typeof import("@/lib/apply/run.server");
let uninstall: typeof import("@/lib/apply/uninstall.server");
let route: typeof import("@/app/api/setup/run/route");
let profiles: typeof import("@/lib/wizard/profiles.server");
let cookie: string;
let connectionId: string;

function settingsFor(namespace: string, instanceName: string, extra: Record<string, unknown> = {}): RunnerSettings {
  return runnerSettingsSchema.parse({
    cluster: { namespace, instanceName },
    gitlab: {
      url: "https://gitlab.example.com/",
      runnerToken: "glrt-ownership_test_token_0123",
      runnerName: `${instanceName}-runner`,
    },
    ...extra,
  });
}

const outcomeOf = (results: ObjectResult[], kind: string, name?: string) =>
  results.find((r) => r.ref.kind === kind && (name === undefined || r.ref.name === name));

async function exists(object: { apiVersion: string; kind: string; name: string; namespace?: string }) {
  try {
    await objects.read({
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: object.name, namespace: object.namespace },
    });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return false;
    throw error;
  }
}

async function readLive(apiVersion: string, kind: string, name: string, namespace?: string) {
  return objects.read({ apiVersion, kind, metadata: { name, namespace } }) as Promise<KubernetesObject>;
}

async function createConfigMap(namespace: string, name: string, labels?: Record<string, string>) {
  await core.createNamespacedConfigMap({
    namespace,
    body: { metadata: { name, labels }, data: { owner: "someone else" } },
  });
}

async function createNamespace(name: string) {
  await core.createNamespace({ body: { metadata: { name } } });
}

const action = (settings: RunnerSettings, mode: "apply" | "uninstall" | "dry-run") =>
  run.runSetupAction({ mode, settings, kc, username: "admin", onEvent: () => undefined, rolloutTimeoutMs: 60_000 });

/** POST /api/setup/run as the wizard page sends it; the SSE stream read to its `done` event. */
async function postRun(body: Record<string, unknown>): Promise<Extract<ApplyEvent, { type: "done" }>> {
  const response = await route.POST(
    new Request("http://localhost/api/setup/run", {
      method: "POST",
      headers: { cookie, "content-type": "application/json", origin: "http://localhost", host: "localhost" },
      body: JSON.stringify(body),
    }),
  );
  expect(
    response.status,
    await response
      .clone()
      .text()
      .catch(() => ""),
  ).toBe(200);
  const events = (await response.text())
    .split("\n\n")
    .filter((chunk) => chunk.startsWith("data: "))
    .map((chunk) => JSON.parse(chunk.slice("data: ".length)) as ApplyEvent);
  const done = events.at(-1);
  if (done?.type !== "done") throw new Error("the stream ended without a done event");
  return done;
}

beforeAll(async () => {
  const { dir } = useFreshDatabase();
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  cluster = await startDemoCluster({ port: 0, stateDir: path.join(dir, "cluster"), jobsPerMinute: 60, speed: 20 });
  kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  objects = KubernetesObjectApi.makeApiClient(kc);
  run = await import("@/lib/apply/run.server");
  uninstall = await import("@/lib/apply/uninstall.server");
  route = await import("@/app/api/setup/run/route");
  profiles = await import("@/lib/wizard/profiles.server");
  const { db } = await import("@/lib/db.server");
  const session = await import("@/lib/auth/session.server");
  const user = await db.user.create({ data: { username: "admin", subject: "admin", passwordHash: "x" } });
  await session.startSession(user.id);
  cookie = `${session.SESSION_COOKIE}=${encodeURIComponent(cookieJar.get(session.SESSION_COOKIE)!)}`;
  const service = await import("@/lib/connections/service.server");
  const saved = await service.addConnection({
    name: "demo",
    credentials: { method: "kubeconfig", kubeconfig: cluster.kubeconfig, skipTlsVerify: false },
    makeDefault: true,
  });
  if (!saved.ok) throw new Error(`connection refused: ${saved.problem.code}`);
  connectionId = saved.value.id;
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe("a namespace ask-ci did not create", () => {
  it("the demo's own gitlab-runner namespace: a second runner applied and uninstalled through the route leaves it, its runner, Secret, job pods and a bystander", async () => {
    const namespace = "gitlab-runner";
    // The demo's runner is running jobs in it (seeded by the demo cluster, not by ask-ci).
    await vi.waitFor(
      async () => {
        const pods = await core.listNamespacedPod({ namespace, labelSelector: "job.runner.gitlab.com/pod" });
        expect(pods.items.length).toBeGreaterThan(0);
      },
      { timeout: 30_000, interval: 250 },
    );
    await createConfigMap(namespace, "bystander");
    const namespaceBefore = await readLive("v1", "Namespace", namespace);
    // The demo runners' own Secrets (the runner's per-job dockercfg Secrets come and go with their pods).
    const theirs = (await core.listNamespacedSecret({ namespace })).items
      .filter((s) => s.type !== "kubernetes.io/dockercfg")
      .map((s) => s.metadata!.name!);
    expect(theirs.length).toBeGreaterThan(0);

    const settings = settingsFor(namespace, "second");
    const { id } = await profiles.saveDraft({ name: "second", connectionId, step: 6, settings });
    const applied = await postRun({ profileId: id, mode: "apply" });
    expect(applied.message).toBeUndefined();
    expect(applied.ok).toBe(true);
    expect(outcomeOf(applied.results, "Namespace")).toMatchObject({ outcome: "kept" });
    // Not adopted: no ask-ci labels or annotations written onto it.
    const namespaceAfter = await readLive("v1", "Namespace", namespace);
    expect(namespaceAfter.metadata?.labels).toEqual(namespaceBefore.metadata?.labels);
    expect(namespaceAfter.metadata?.annotations).toEqual(namespaceBefore.metadata?.annotations);
    expect(await exists({ apiVersion: "apps/v1", kind: "Deployment", name: "second", namespace })).toBe(true);

    const removed = await postRun({ profileId: id, mode: "uninstall", confirm: "second" });
    expect(removed.ok).toBe(true);
    expect(outcomeOf(removed.results, "Namespace")).toBeUndefined();
    expect(outcomeOf(removed.results, "Deployment", "second")?.outcome).toBe("deleted");
    expect(await exists({ apiVersion: "apps/v1", kind: "Deployment", name: "second", namespace })).toBe(false);

    expect(await exists({ apiVersion: "v1", kind: "Namespace", name: namespace })).toBe(true);
    expect((await readLive("v1", "Namespace", namespace)).metadata?.deletionTimestamp).toBeUndefined();
    expect(await exists({ apiVersion: "v1", kind: "ConfigMap", name: "bystander", namespace })).toBe(true);
    expect(await exists({ apiVersion: "apps/v1", kind: "Deployment", name: "ask-ci-demo", namespace })).toBe(true);
    const secretsAfter = (await core.listNamespacedSecret({ namespace })).items.map((s) => s.metadata!.name!);
    expect(secretsAfter).toEqual(expect.arrayContaining(theirs.filter((name) => !name.startsWith("second"))));
    const pods = await core.listNamespacedPod({ namespace, labelSelector: "job.runner.gitlab.com/pod" });
    expect(pods.items.some((p) => !p.metadata?.deletionTimestamp)).toBe(true);
  }, 120_000);

  it("an existing namespace is used as it is, never deleted, also when it is empty", async () => {
    await createNamespace("existing-empty");
    const settings = settingsFor("existing-empty", "solo");
    const dryRun = await action(settings, "dry-run");
    expect(outcomeOf(dryRun.results, "Namespace")).toMatchObject({ outcome: "kept" });
    expect((await action(settings, "apply")).ok).toBe(true);
    const done = await action(settings, "uninstall");
    expect(done.ok).toBe(true);
    expect(done.results.filter((r) => r.outcome === "deleted").map((r) => r.ref.kind)).not.toContain("Namespace");
    expect(await exists({ apiVersion: "v1", kind: "Namespace", name: "existing-empty" })).toBe(true);
  }, 120_000);
});

describe("a namespace ask-ci created", () => {
  it("holding a bystander: uninstall deletes ask-ci's objects, keeps the namespace and says why; once it is empty, uninstall deletes it", async () => {
    const settings = settingsFor("ci-created", "made");
    const applied = await action(settings, "apply");
    expect(applied.ok).toBe(true);
    expect(outcomeOf(applied.results, "Namespace")?.outcome).toBe("created");
    // Its job pods are the runner's, so ask-ci's to delete with the namespace.
    await vi.waitFor(
      async () => {
        const pods = await core.listNamespacedPod({
          namespace: "ci-created",
          labelSelector: "job.runner.gitlab.com/pod",
        });
        expect(pods.items.length).toBeGreaterThan(0);
      },
      { timeout: 30_000, interval: 250 },
    );
    await createConfigMap("ci-created", "bystander");

    const first = await uninstall.uninstallInstance(kc, { ...settings.cluster, runnerName: "made-runner" });
    expect(outcomeOf(first, "Namespace")).toMatchObject({ outcome: "kept" });
    expect(outcomeOf(first, "Namespace")?.message).toMatch(/ConfigMap bystander/);
    expect(outcomeOf(first, "Deployment")?.outcome).toBe("deleted");
    expect(await exists({ apiVersion: "v1", kind: "ConfigMap", name: "bystander", namespace: "ci-created" })).toBe(
      true,
    );
    expect((await readLive("v1", "Namespace", "ci-created")).metadata?.deletionTimestamp).toBeUndefined();

    await core.deleteNamespacedConfigMap({ name: "bystander", namespace: "ci-created" });
    const second = await uninstall.uninstallInstance(kc, { ...settings.cluster, runnerName: "made-runner" });
    expect(outcomeOf(second, "Namespace")).toMatchObject({ outcome: "deleted" });
  }, 120_000);

  it("shared by a second instance: uninstalling the first keeps the namespace and the second runner", async () => {
    const first = settingsFor("ci-shared", "first");
    const second = settingsFor("ci-shared", "other");
    expect((await action(first, "apply")).ok).toBe(true);
    const secondApplied = await action(second, "apply");
    expect(secondApplied.ok).toBe(true);
    expect(outcomeOf(secondApplied.results, "Namespace")).toMatchObject({ outcome: "kept" });

    const done = await action(first, "uninstall");
    expect(done.ok).toBe(true);
    expect(outcomeOf(done.results, "Namespace")).toMatchObject({ outcome: "kept" });
    expect(await exists({ apiVersion: "apps/v1", kind: "Deployment", name: "other", namespace: "ci-shared" })).toBe(
      true,
    );
    expect(await exists({ apiVersion: "v1", kind: "Secret", name: "other-token", namespace: "ci-shared" })).toBe(true);
  }, 120_000);
});

describe("objects ask-ci did not create", () => {
  it("an object with a name ask-ci wants is not taken over: the apply fails on it and leaves it as it was", async () => {
    await createNamespace("taken");
    await createConfigMap("taken", "clash-config");
    const settings = settingsFor("taken", "clash");
    const applied = await action(settings, "apply");
    expect(applied.ok).toBe(false);
    expect(outcomeOf(applied.results, "ConfigMap")).toMatchObject({ outcome: "failed" });
    expect(outcomeOf(applied.results, "ConfigMap")?.message).toMatch(/not created by ask-ci/);
    const live = (await readLive("v1", "ConfigMap", "clash-config", "taken")) as KubernetesObject & {
      data?: Record<string, string>;
    };
    expect(live.data).toEqual({ owner: "someone else" });
    expect(live.metadata?.labels ?? {}).toEqual({});

    await action(settings, "uninstall");
    expect(await exists({ apiVersion: "v1", kind: "ConfigMap", name: "clash-config", namespace: "taken" })).toBe(true);
  }, 120_000);

  it("objects carrying the instance's labels (applied from a downloaded YAML, or copied) survive pruning and uninstall", async () => {
    const settings = settingsFor("labelled", "lab");
    const labels = {
      "app.kubernetes.io/managed-by": "ask-ci",
      "app.kubernetes.io/instance": "lab",
    };
    expect((await action(settings, "apply")).ok).toBe(true);
    await createConfigMap("labelled", "lookalike", labels);
    await core.createPersistentVolume({
      body: {
        metadata: { name: "lookalike-pv", labels },
        spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/tmp/x" } },
      },
    });

    // Pruning: the lookalikes are not in the settings, but they are not ask-ci's either.
    const reapplied = await action(settings, "apply");
    expect(reapplied.ok).toBe(true);
    expect(reapplied.results.filter((r) => r.outcome === "deleted")).toEqual([]);

    const done = await action(settings, "uninstall");
    expect(done.ok).toBe(true);
    expect(outcomeOf(done.results, "ConfigMap", "lookalike")).toMatchObject({ outcome: "kept" });
    expect(outcomeOf(done.results, "PersistentVolume", "lookalike-pv")).toMatchObject({ outcome: "kept" });
    expect(outcomeOf(done.results, "Namespace")).toMatchObject({ outcome: "kept" });
    expect(await exists({ apiVersion: "v1", kind: "ConfigMap", name: "lookalike", namespace: "labelled" })).toBe(true);
    expect(await exists({ apiVersion: "v1", kind: "PersistentVolume", name: "lookalike-pv" })).toBe(true);
    expect(await exists({ apiVersion: "apps/v1", kind: "Deployment", name: "lab", namespace: "labelled" })).toBe(false);
  }, 120_000);

  it("the same instance name in another namespace: cluster-scoped objects of one are not the other's", async () => {
    const volume = {
      storage: {
        volumes: [
          {
            name: "cache",
            mountPath: "/cache",
            size: "10Gi",
            backend: { kind: "nas", server: "0123abcd-xyz12.cn-hangzhou.nas.aliyuncs.com", path: "/ci" },
          },
        ],
      },
    };
    const a = settingsFor("twin-a", "twin", volume);
    const b = settingsFor("twin-b", "twin", volume);
    expect((await action(a, "apply")).ok).toBe(true);
    const clash = await action(b, "apply");
    expect(clash.ok).toBe(false);
    expect(outcomeOf(clash.results, "PersistentVolume")).toMatchObject({ outcome: "failed" });

    await action(b, "uninstall");
    expect(await exists({ apiVersion: "v1", kind: "PersistentVolume", name: "twin-cache-pv" })).toBe(true);
    expect(await exists({ apiVersion: "apps/v1", kind: "Deployment", name: "twin", namespace: "twin-a" })).toBe(true);
  }, 120_000);
});
