import http from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// readPod (lib/monitor/pod-access.server.ts) when the API server answers a pod read with something
// that is not a pod: a plain HTTP server stands in for it (the demo cluster always answers pods).

let server: http.Server;
let config: KubeConfig;

vi.mock("@/lib/connections/kube-client.server", () => ({ kubeConfigForConnection: async () => config }));

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end("null"); // JSON, but no object
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      { name: "c", server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
    ],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("readPod", () => {
  it("refuses an answer that is not a pod, naming the pod asked for", async () => {
    const { readPod } = await import("./pod-access.server");
    await expect(readPod("any", "team-a", "build-1")).rejects.toThrow(
      "The API server answered with something that is not a pod for team-a/build-1",
    );
  });
});
