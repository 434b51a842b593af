// pods/exec and pods/attach against the demo cluster with the real kubectl and @kubernetes/client-node:
// a real HTTPS API server in this process and child kubectl processes, so slower than a unit test.
import { spawn } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { CoreV1Api, Exec, KubeConfig, type V1Status } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoCluster, type DemoCluster } from "../index";

const KUBECTL = "/usr/bin/kubectl";
const NS = "exec-test";
/** Where the demo cluster's read-only token may read pods (and nothing more). */
const VIEWER_NS = "gitlab-runner";

let cluster: DemoCluster;
let dir: string;
let core: CoreV1Api;
let kc: KubeConfig;

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

// Asynchronous: the API server runs in this process, a blocking spawnSync would stall it.
function kubectl(args: string[], input = "", kubeconfig = "admin", namespace = NS): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, ["--kubeconfig", path.join(dir, kubeconfig), "-n", namespace, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function runningPod(name: string, namespace = NS): Promise<void> {
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name, annotations: { "k8s.aliyun.com/eci-image-cache": "true" } },
      spec: {
        restartPolicy: "Never",
        containers: [
          {
            name: "build",
            image: "alpine:3.20",
            command: ["sh", "-c", "sleep 3600"],
            env: [
              { name: "PLAIN", value: "visible" },
              { name: "TOKEN", valueFrom: { secretKeyRef: { name: "job-secret", key: "token" } } },
            ],
          },
          { name: "helper", image: "alpine:3.20", command: ["sleep", "3600"] },
        ],
      },
    },
  });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const pod = await core.readNamespacedPod({ namespace, name });
    if (pod.status?.phase === "Running") return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`pod ${name} did not start`);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-exec-"));
  cluster = await startDemoCluster({
    port: 0,
    jobsPerMinute: 0,
    seedWorkload: false,
    stateDir: path.join(dir, "state"),
  });
  fs.writeFileSync(path.join(dir, "admin"), cluster.kubeconfig, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, "viewer"), cluster.limitedKubeconfig, { mode: 0o600 });
  kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await core.createNamespacedSecret({
    namespace: NS,
    body: { metadata: { name: "job-secret" }, stringData: { token: "glrt-do-not-show" } },
  });
  await runningPod("job");
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("kubectl exec against the demo cluster", () => {
  it("runs a command in the default (first) container and prints its output", async () => {
    const result = await kubectl(["exec", "job", "--", "sh", "-c", "echo $PLAIN; hostname; env"]);
    expect(result.status).toBe(0);
    expect(result.stdout.startsWith("visible\njob\n")).toBe(true);
    expect(result.stdout).not.toContain("glrt-do-not-show");
    expect(result.stderr).toContain('Defaulted container "build" out of: build, helper');
  });

  it("exits with the command's exit code", async () => {
    const result = await kubectl(["exec", "job", "-c", "helper", "--", "sh", "-c", "cat /missing"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cat: can't open '/missing': No such file or directory");
    expect(result.stderr).toContain("command terminated with exit code 1");
  });

  it("feeds stdin to an interactive shell with -i and ends when stdin does", async () => {
    const result = await kubectl(
      ["exec", "-i", "job", "-c", "build", "--", "sh"],
      "cd /etc\npwd\ncat hostname\nexit 7\n",
    );
    expect(result.stdout).toBe("/etc\njob\n");
    expect(result.status).toBe(7);
  });

  it("is refused to a user who may read pods but not pods/exec, with the API server's message", async () => {
    await runningPod("watched", VIEWER_NS);
    const result = await kubectl(["exec", "watched", "-c", "build", "--", "ls"], "", "viewer", VIEWER_NS);
    expect(result.status).not.toBe(0);
    // kubectl retries a refused WebSocket upgrade over SPDY (a POST, so "create"): either verb is refused.
    expect(result.stderr).toMatch(
      new RegExp(`cannot (get|create) resource "pods/exec" in API group "" in the namespace "${VIEWER_NS}"`),
    );
  });

  it("is refused for a pod that does not exist", async () => {
    const result = await kubectl(["exec", "nope", "--", "ls"]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('pods "nope" not found');
  });

  it("kubectl attach follows the container's output from now on", async () => {
    const attach = kubectl(["attach", "job", "-c", "build"]);
    await new Promise((r) => setTimeout(r, 1500));
    await core.deleteNamespacedPod({ namespace: NS, name: "job", gracePeriodSeconds: 0 });
    const result = await attach;
    expect(result.status).toBe(0);
    await runningPod("job");
  }, 40_000);
});

describe("client-node Exec against the demo cluster", () => {
  it("opens a terminal, resizes it, and reports the exit status", async () => {
    // A writable with rows/columns is what client-node treats as a terminal it must resize.
    const stdout = Object.assign(new PassThrough(), { rows: 40, columns: 120 });
    const stdin = new PassThrough();
    let output = "";
    stdout.on("data", (d: Buffer) => (output += d.toString()));
    const status = new Promise<V1Status>((resolve) => {
      void new Exec(kc).exec(NS, "job", "build", ["sh"], stdout, null, stdin, true, resolve);
    });
    await new Promise((r) => setTimeout(r, 300));
    stdin.write("stty size\r");
    await new Promise((r) => setTimeout(r, 300));
    stdout.rows = 50;
    stdout.emit("resize");
    await new Promise((r) => setTimeout(r, 300));
    stdin.write("stty size\rexit 5\r");
    const result = await status;
    expect(output).toContain("stty size\r\n40 120\r\n");
    expect(output).toContain("stty size\r\n50 120\r\n");
    expect(result.status).toBe("Failure");
    expect(result.details?.causes?.[0]).toEqual({ reason: "ExitCode", message: "5" });
  });

  it("ends the session with 137 when the pod is deleted under it", async () => {
    await runningPod("doomed");
    const stdin = new PassThrough();
    const status = new Promise<V1Status>((resolve) => {
      void new Exec(kc).exec(NS, "doomed", "build", ["sh"], new PassThrough(), null, stdin, true, resolve);
    });
    await new Promise((r) => setTimeout(r, 300));
    await core.deleteNamespacedPod({ namespace: NS, name: "doomed", gracePeriodSeconds: 0 });
    const result = await status;
    expect(result.details?.causes?.[0]).toEqual({ reason: "ExitCode", message: "137" });
  });

  it("answers a plain GET (no upgrade) with 400, and discovery lists pods/exec and pods/attach", async () => {
    const plain = await new Promise<{ code?: number; body: string }>((resolve, reject) => {
      https
        .get(
          `${cluster.url}/api/v1/namespaces/${NS}/pods/job/exec?command=ls&stdout=true`,
          { ca: cluster.caPem, headers: { Authorization: `Bearer ${cluster.adminToken}` } },
          (res) => {
            let body = "";
            res.on("data", (d: Buffer) => (body += d.toString()));
            res.on("end", () => resolve({ code: res.statusCode, body }));
          },
        )
        .on("error", reject);
    });
    expect(plain.code).toBe(400);
    expect(JSON.parse(plain.body)).toMatchObject({ kind: "Status", message: "Upgrade request required" });
    const resources = (await core.getAPIResources()).resources.map((r) => `${r.name}:${r.kind}:${r.verbs.join(",")}`);
    expect(resources).toContain("pods/exec:PodExecOptions:create,get");
    expect(resources).toContain("pods/attach:PodAttachOptions:create,get");
  });
});
