import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { CoreV1Api } from "@kubernetes/client-node";
import { createTestPki } from "@/lib/connections/test-certificates";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import { emptyDatabase, useFreshDatabase } from "@/tests/test-db";
import { expectOk } from "../expect-ok";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

let cluster: DemoCluster;
let service: typeof import("@/lib/connections/service.server");
let kubeClient: typeof import("@/lib/connections/kube-client.server");
let db: typeof import("@/lib/db.server").db;

beforeAll(async () => {
  useFreshDatabase();
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  cluster = await startDemoCluster({ port: 0, simulate: false });
  service = await import("@/lib/connections/service.server");
  kubeClient = await import("@/lib/connections/kube-client.server");
  db = (await import("@/lib/db.server")).db;
});

afterAll(async () => {
  await cluster?.stop();
});

// Each test starts with no stored connection; the ones it needs, it adds (addAdminConnection).
beforeEach(() => emptyDatabase(db));

const tokenInput = (token: string, overrides: Record<string, unknown> = {}) =>
  ({
    method: "token",
    server: cluster.url,
    token,
    caCertificate: cluster.caPem,
    skipTlsVerify: false,
    ...overrides,
  }) as const;

describe("testing a connection against the demo cluster", () => {
  it("with the admin kubeconfig: version, verified TLS, namespaces, every permission", async () => {
    const result = await service.testConnectionInput({
      method: "kubeconfig",
      kubeconfig: cluster.kubeconfig,
      skipTlsVerify: false,
    });
    const report = expectOk(result);
    expect(report.serverVersion).toMatch(/^v1\.\d+/);
    expect(report.tlsVerified).toBe(true);
    expect(report.caFingerprint).toMatch(/^[0-9A-F:]+$/);
    expect(report.latencyMs).toBeGreaterThanOrEqual(0);
    expect(report.namespaces.visible).toBe(true);
    expect(report.namespaces.names).toEqual(expect.arrayContaining(["default", "gitlab-runner", "kube-system"]));
    expect(report.permissions.wizardReady).toBe(true);
    expect(report.permissions.monitorReady).toBe(true);
    expect(report.permissions.rows.every((row) => row.missing.length === 0 && row.unknown.length === 0)).toBe(true);
    expect(report.permissions.rbacYaml).toBeNull();
  });

  it("with the limited token: reads pods, logs and events in gitlab-runner, and nothing the wizard needs", async () => {
    const result = await service.testConnectionInput(tokenInput(cluster.limitedToken), "gitlab-runner");
    const { permissions, namespaces } = expectOk(result);
    const row = (purpose: string, id: string) => permissions.rows.find((r) => r.purpose === purpose && r.id === id)!;
    expect(namespaces.visible).toBe(false);
    expect(row("monitor", "pods")).toMatchObject({ allowed: ["list", "watch"], missing: ["delete"] });
    expect(row("monitor", "pods/log")).toMatchObject({ allowed: ["get"], missing: [] });
    expect(row("monitor", "events")).toMatchObject({ allowed: ["list", "watch"], missing: [] });
    expect(row("wizard", "secrets").allowed).toEqual([]);
    expect(row("wizard", "deployments").missing).toEqual(["get", "create", "patch", "delete"]);
    expect(permissions.wizardReady).toBe(false);
    expect(permissions.monitorReady).toBe(false);
    expect(permissions.rbacYaml).toContain("kind: Role");
    expect(permissions.rbacYaml).toContain("namespace: gitlab-runner");
    expect(permissions.rbacYaml).toContain("deployments");
  });

  it("the limited token sees nothing in another namespace", async () => {
    const result = await service.testConnectionInput(tokenInput(cluster.limitedToken), "default");
    expect(expectOk(result).permissions.rows.find((r) => r.id === "pods" && r.purpose === "monitor")).toMatchObject({
      allowed: [],
      missing: ["list", "watch", "delete"],
    });
  });

  it.each([
    ["a wrong token", async () => tokenInput("not-a-valid-token"), "unauthorized"],
    [
      "no CA (system trust store)",
      async () => tokenInput(cluster.adminToken, { caCertificate: undefined }),
      "tlsUntrusted",
    ],
    [
      "the wrong CA",
      async () => tokenInput(cluster.adminToken, { caCertificate: (await createTestPki()).caPem }),
      "tlsUntrusted",
    ],
    [
      "an http URL",
      async () => tokenInput(cluster.adminToken, { server: cluster.url.replace("https:", "http:") }),
      "notHttps",
    ],
    [
      "an unreachable server",
      async () => tokenInput(cluster.adminToken, { server: `https://127.0.0.1:${await closedPort()}` }),
      "unreachable",
    ],
    [
      "a kubeconfig without that context",
      async () => ({
        method: "kubeconfig" as const,
        kubeconfig: cluster.kubeconfig,
        context: "prod",
        skipTlsVerify: false,
      }),
      "contextNotFound",
    ],
  ])("refuses %s with a specific problem and stores nothing", async (_case, input, code) => {
    const before = await db.connection.count();
    const tested = await service.testConnectionInput(await input());
    expect(!tested.ok && tested.problem.code).toBe(code);
    const saved = await service.addConnection({
      name: `refused-${code}`,
      credentials: await input(),
      makeDefault: false,
    });
    expect(!saved.ok && saved.problem.code).toBe(code);
    expect(await db.connection.count()).toBe(before);
  });

  it("skips TLS verification only when asked, and says so", async () => {
    const result = await service.testConnectionInput(
      tokenInput(cluster.adminToken, { caCertificate: undefined, skipTlsVerify: true }),
    );
    expect(expectOk(result).tlsVerified).toBe(false);
  });
});

/** The admin kubeconfig stored as "demo-admin": the first connection, so the default. */
async function addAdminConnection() {
  return service.addConnection({
    name: "demo-admin",
    credentials: { method: "kubeconfig", kubeconfig: cluster.kubeconfig, skipTlsVerify: false },
    makeDefault: false,
  });
}

describe("stored connections", () => {
  it("are saved encrypted, become the default, and give a working client", async () => {
    const saved = await addAdminConnection();
    expect(expectOk(saved)).toMatchObject({
      name: "demo-admin",
      server: cluster.url,
      authType: "token",
      isDefault: true,
      lastHealthy: true,
    });
    if (!saved.ok) throw new Error("unreachable: expectOk failed the test");
    expect(Object.keys(saved.value)).not.toContain("credentials");

    const row = await db.connection.findUniqueOrThrow({ where: { id: saved.value.id } });
    expect(row.credentials).not.toContain(cluster.adminToken);
    expect(JSON.parse(row.credentials)).toMatchObject({ version: 1, algorithm: "aes-256-gcm" });

    const config = await kubeClient.kubeConfigForConnection(saved.value.id);
    expect(await kubeClient.kubeConfigForConnection(saved.value.id)).toBe(config);
    const pods = await config.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "gitlab-runner" });
    expect(Array.isArray(pods.items)).toBe(true);
    expect((await kubeClient.resolveConnection())?.id).toBe(saved.value.id);
    expect((await kubeClient.resolveConnection("demo-admin"))?.id).toBe(saved.value.id);
    expect(await kubeClient.resolveConnection("nope")).toBeNull();
  });

  it("refuse a duplicate name", async () => {
    expectOk(await addAdminConnection());
    const again = await service.addConnection({
      name: "demo-admin",
      credentials: tokenInput(cluster.adminToken),
      makeDefault: false,
    });
    expect(!again.ok && again.problem.code).toBe("nameTaken");
    expect((await kubeClient.listConnections()).map((c) => c.name)).toEqual(["demo-admin"]);
  });

  it("rename, switch credentials (client rebuilt), change default, record health and delete", async () => {
    expectOk(await addAdminConnection());
    const viewer = await service.addConnection({
      name: "viewer",
      credentials: tokenInput(cluster.limitedToken),
      makeDefault: false,
    });
    expect(expectOk(viewer).isDefault).toBe(false);
    if (!viewer.ok) throw new Error("unreachable: expectOk failed the test");
    const first = await kubeClient.kubeConfigForConnection(viewer.value.id);

    const renamed = await service.editConnection(viewer.value.id, { name: "viewer-2" });
    expect(expectOk(renamed).name).toBe("viewer-2");
    const refused = await service.editConnection(viewer.value.id, { credentials: tokenInput("wrong") });
    expect(!refused.ok && refused.problem.code).toBe("unauthorized");
    const switched = await service.editConnection(viewer.value.id, { credentials: tokenInput(cluster.adminToken) });
    expect(switched.ok).toBe(true);
    expect(await kubeClient.kubeConfigForConnection(viewer.value.id)).not.toBe(first);

    expect((await service.makeDefaultConnection(viewer.value.id)).ok).toBe(true);
    expect((await kubeClient.resolveConnection())?.name).toBe("viewer-2");
    expect((await kubeClient.listConnections()).filter((c) => c.isDefault).map((c) => c.name)).toEqual(["viewer-2"]);

    const health = await service.refreshHealth(viewer.value.id);
    expect(health).toMatchObject({ lastHealthy: true, serverVersion: expect.stringMatching(/^v1\./) });

    expect(await service.removeConnection(viewer.value.id)).toBe(true);
    expect(await service.removeConnection(viewer.value.id)).toBe(false);
    await expect(kubeClient.kubeConfigForConnection(viewer.value.id)).rejects.toThrow(/notFound/);
    // The default moved to the remaining connection.
    expect((await kubeClient.resolveConnection())?.name).toBe("demo-admin");
  });

  it("record an unhealthy check when the cluster stops answering", async () => {
    const { id } = expectOk(await addAdminConnection());
    const port = await closedPort();
    await db.connection.update({ where: { id }, data: { server: `https://127.0.0.1:${port}` } });
    const health = await service.refreshHealth(id);
    expect(health).toMatchObject({ lastHealthy: false, lastError: "unreachable", latencyMs: null });
    await db.connection.update({ where: { id }, data: { server: cluster.url } });
    expect(await service.refreshHealth(id)).toMatchObject({ lastHealthy: true, lastError: null });
  });
});

describe("the job recorder and connections", () => {
  it("asks whether the credentials may watch pods in every namespace", async () => {
    const { podWatchEverywhere } = await import("@/lib/connections/probe.server");
    const { KubeConfig } = await import("@kubernetes/client-node");
    const admin = new KubeConfig();
    admin.loadFromString(cluster.kubeconfig);
    expect(await podWatchEverywhere(admin)).toBe("allowed");
    const limited = await service.addConnection({
      name: "limited",
      credentials: tokenInput(cluster.limitedToken),
      makeDefault: false,
    });
    if (!limited.ok) throw new Error(limited.problem.code);
    expect(await podWatchEverywhere(await kubeClient.kubeConfigForConnection(limited.value.id))).toBe("denied");
    expect(await service.removeConnection(limited.value.id)).toBe(true);
  });

  it("records a new connection's jobs at once (not at the next 30-second check) and stops at its removal", async () => {
    const recorder = await import("@/lib/monitor/job-recorder.server");
    const running = recorder.startJobRecorder();
    try {
      await recorder.reconcileJobRecorder();
      const added = await service.addConnection({
        name: "recorded",
        credentials: tokenInput(cluster.adminToken),
        makeDefault: false,
      });
      if (!added.ok) throw new Error(added.problem.code);
      const key = JSON.stringify([added.value.id, "*"]);
      await vi.waitFor(() => expect(running.targets()).toContain(key), { timeout: 5_000, interval: 50 });
      expect(await service.removeConnection(added.value.id)).toBe(true);
      await vi.waitFor(() => expect(running.targets()).not.toContain(key), { timeout: 5_000, interval: 50 });
    } finally {
      running.stop();
    }
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
