import fs from "node:fs";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { emptyDatabase, useFreshDatabase } from "@/tests/test-db";
import { b64, createTestPki } from "./test-certificates";

let bootstrap: typeof import("./bootstrap.server");
let store: typeof import("./store.server");
let kubeconfigFile: string;
let keyFile: string;

beforeAll(async () => {
  const { dir } = useFreshDatabase();
  const pki = await createTestPki();
  kubeconfigFile = path.join(dir, "demo.kubeconfig");
  keyFile = path.join(dir, "secret.key");
  fs.writeFileSync(
    kubeconfigFile,
    stringify({
      clusters: [
        { name: "demo", cluster: { server: "https://127.0.0.1:6443", "certificate-authority-data": b64(pki.caPem) } },
      ],
      users: [{ name: "admin", user: { token: "bootstrap-token" } }],
      contexts: [{ name: "demo", context: { cluster: "demo", user: "admin" } }],
      "current-context": "demo",
    }),
  );
  process.env.ASK_CI_BOOTSTRAP_KUBECONFIG = kubeconfigFile;
  delete process.env.ASK_CI_SECRET_KEY;
});

// Each test is a first start on an empty data directory and database (fresh modules: the key is
// cached in memory once read); the earlier starts it is about, it makes itself.
beforeEach(async () => {
  vi.resetModules();
  fs.rmSync(keyFile, { force: true });
  fs.rmSync(marker(), { force: true });
  await emptyDatabase((await import("@/lib/db.server")).db);
  bootstrap = await import("./bootstrap.server");
  store = await import("./store.server");
});

const marker = () => path.join(path.dirname(keyFile), "bootstrap-connection-demo.done");

describe("registerBootstrapConnection", () => {
  it("creates the key file, then registers the kubeconfig once as the default connection", async () => {
    const lines: string[] = [];
    await bootstrap.registerBootstrapConnection((line) => lines.push(line));
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const connections = await store.listConnections();
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({
      name: "demo",
      server: "https://127.0.0.1:6443",
      authType: "token",
      isDefault: true,
    });
    expect(lines.join("\n")).toContain(keyFile);
    expect(lines.join("\n")).toContain('registered the cluster connection "demo"');
    expect(lines.join("\n")).not.toContain("bootstrap-token");

    const loaded = await store.loadTarget(connections[0].id);
    expect(loaded?.target.credentials.token).toBe("bootstrap-token");

    await bootstrap.registerBootstrapConnection(() => undefined);
    expect(await store.listConnections()).toHaveLength(1);
  });

  it("replicas starting together on one database register it once, and each of them starts", async () => {
    const starts = Array.from({ length: 4 }, () => bootstrap.registerBootstrapConnection(() => undefined));
    expect(await Promise.allSettled(starts)).toEqual(Array(4).fill({ status: "fulfilled", value: undefined }));
    expect((await store.listConnections()).map((c) => c.name)).toEqual(["demo"]);
    expect(fs.existsSync(marker())).toBe(true);
  });

  it("registers only once: a renamed or deleted bootstrap connection does not come back on the next start", async () => {
    await bootstrap.registerBootstrapConnection(() => undefined);
    const [demo] = await store.listConnections();
    await store.updateConnection(demo.id, { name: "mine" });
    await bootstrap.registerBootstrapConnection(() => undefined);
    expect((await store.listConnections()).map((c) => c.name)).toEqual(["mine"]);
  });

  it("registers again when the data directory's marker is gone (a fresh data directory)", async () => {
    await bootstrap.registerBootstrapConnection(() => undefined);
    const [demo] = await store.listConnections();
    await store.updateConnection(demo.id, { name: "mine" });
    fs.rmSync(marker());
    await bootstrap.registerBootstrapConnection(() => undefined);
    expect((await store.listConnections()).map((c) => c.name).sort()).toEqual(["demo", "mine"]);
  });
});
