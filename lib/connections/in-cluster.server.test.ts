import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";
import { createTestPki } from "./test-certificates";

describe("in-cluster connection (ServiceAccount)", () => {
  let inCluster: typeof import("./in-cluster.server");
  let store: typeof import("./store.server");
  const saDir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-sa-"));
  const env = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };

  beforeAll(async () => {
    useFreshDatabase();
    fs.writeFileSync(path.join(saDir, "token"), "sa-token-1\n");
    fs.writeFileSync(path.join(saDir, "ca.crt"), (await createTestPki()).caPem);
    inCluster = await import("./in-cluster.server");
    store = await import("./store.server");
  });

  it("is nothing outside a cluster", async () => {
    expect(inCluster.inClusterTarget({}, saDir)).toBeNull();
    expect(inCluster.inClusterTarget(env, path.join(saDir, "missing"))).toBeNull();
    expect(await inCluster.syncInClusterConnection("this-cluster", {}, saDir)).toBe("not-in-cluster");
  });

  it("registers the cluster with the pod's token and CA, then follows the kubelet's token rotation", async () => {
    expect(await inCluster.syncInClusterConnection("this-cluster", env, saDir)).toBe("created");
    const [connection] = await store.listConnections();
    expect(connection).toMatchObject({ name: "this-cluster", server: "https://10.96.0.1:443", authType: "token" });
    expect((await store.loadTarget(connection.id))?.target.credentials.token).toBe("sa-token-1");
    expect(await inCluster.syncInClusterConnection("this-cluster", env, saDir)).toBe("unchanged");

    fs.writeFileSync(path.join(saDir, "token"), "sa-token-2\n");
    expect(await inCluster.syncInClusterConnection("this-cluster", env, saDir)).toBe("updated");
    expect((await store.loadTarget(connection.id))?.target.credentials.token).toBe("sa-token-2");
    expect(await store.listConnections()).toHaveLength(1);
  });

  it("brackets an IPv6 service address", () => {
    expect(inCluster.inClusterTarget({ KUBERNETES_SERVICE_HOST: "fd00::1" }, saDir)?.server).toBe(
      "https://[fd00::1]:443",
    );
  });
});
