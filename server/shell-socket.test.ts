// The terminal's socket end to end without Next.js: our upgrade handler, a ticket, the bridge and
// client-node's exec against the demo cluster, with a WebSocket client in place of the browser.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { startDemoCluster, type DemoCluster } from "@ask-ci/demo-cluster";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { bridgeShell, type SessionSummary, type ShellServerMessage } from "@/lib/shell/bridge";
import { openPodShell } from "@/lib/shell/exec.server";
import { issueShellTicket } from "@/lib/shell/tickets";
import { shellUpgradeHandler } from "./shell-socket";

const NS = "shell-test";
let cluster: DemoCluster;
let kc: KubeConfig;
let server: http.Server;
let origin: string;
const summaries: SessionSummary[] = [];

function ticketFor(session: string): string {
  return issueShellTicket({
    limits: { idleMs: 60_000, maxMs: 60_000 },
    belongsTo: (cookie) => cookie === `ask_ci_session=${session}`,
    start(browser) {
      bridgeShell({
        browser,
        limits: { idleMs: 60_000, maxMs: 60_000 },
        timer: {
          now: Date.now,
          setTimeout: (callback, ms) => {
            const handle = setTimeout(callback, ms);
            return () => clearTimeout(handle);
          },
        },
        open: (handlers) =>
          openPodShell(kc, { namespace: NS, pod: "job", container: "build", cols: 100, rows: 30 }, handlers),
        onEnd: (summary) => summaries.push(summary),
      });
    },
  });
}

function connect(ticket: string, headers: Record<string, string>): Promise<{ socket: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${origin.replace("http", "ws")}/ws/shell?ticket=${ticket}`, { headers });
    socket.once("open", () => resolve({ socket }));
    socket.once("unexpected-response", (_req, res) => resolve({ socket, status: res.statusCode }));
  });
}

beforeAll(async () => {
  cluster = await startDemoCluster({ port: 0, jobsPerMinute: 0, seedWorkload: false });
  kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await core.createNamespacedPod({
    namespace: NS,
    body: {
      metadata: { name: "job", annotations: { "k8s.aliyun.com/eci-image-cache": "true" } },
      spec: { containers: [{ name: "build", image: "alpine:3.20", command: ["sleep", "3600"] }] },
    },
  });
  for (let i = 0; i < 100; i++) {
    if ((await core.readNamespacedPod({ namespace: NS, name: "job" })).status?.phase === "Running") break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const upgrade = shellUpgradeHandler();
  server = http.createServer((_req, res) => res.end());
  server.on("upgrade", (req, socket, head) => {
    if (!upgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await cluster?.stop();
});

describe("the terminal socket", () => {
  it("runs a shell in the pod: output, the terminal's size, the exit code, a clean close", async () => {
    const { socket } = await connect(ticketFor("s1"), { origin, cookie: "ask_ci_session=s1" });
    const messages: ShellServerMessage[] = [];
    const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
    socket.on("message", (data) => messages.push(JSON.parse(String(data)) as ShellServerMessage));
    socket.send(JSON.stringify({ type: "input", data: "echo $HOSTNAME; stty size\r" }));
    await new Promise((r) => setTimeout(r, 500));
    socket.send(JSON.stringify({ type: "resize", cols: 90, rows: 20 }));
    socket.send(JSON.stringify({ type: "input", data: "stty size\rexit 4\r" }));
    expect(await closed).toBe(1000);
    const output = messages.flatMap((m) => (m.type === "output" ? [m.data] : [])).join("");
    expect(output).toContain("job\r\n30 100\r\n");
    expect(output).toContain("stty size\r\n20 90\r\n");
    expect(messages.at(-1)).toEqual({ type: "exit", reason: "exited", code: 4 });
    expect(summaries.at(-1)).toMatchObject({ reason: "exited", code: 4 });
  });

  it("refuses another origin, another session, and a ticket used twice", async () => {
    expect(
      (await connect(ticketFor("s2"), { origin: "https://evil.example", cookie: "ask_ci_session=s2" })).status,
    ).toBe(403);
    expect((await connect(ticketFor("s3"), { origin, cookie: "ask_ci_session=someone-else" })).status).toBe(403);
    const ticket = ticketFor("s4");
    const first = await connect(ticket, { origin, cookie: "ask_ci_session=s4" });
    expect(first.status).toBeUndefined();
    first.socket.close();
    expect((await connect(ticket, { origin, cookie: "ask_ci_session=s4" })).status).toBe(403);
  });
});
