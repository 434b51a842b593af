/**
 * Monitor benchmark (not part of `npm test`): `npm run bench -- monitor`.
 *
 * Against the demo cluster (HTTPS, no simulation) with PODS job pods in one namespace:
 *   1. list+watch of PODS pods, then VIEWERS in-process stream viewers: upstream watches opened;
 *   2. server memory (RSS, heap; after a full gc) before the watch, with the pods listed, with the
 *      viewers connected and after the patches (a child process creates the pods; this one
 *      patches them only after the first three figures);
 *   3. event latency at RATE patches/s for SECONDS: time from the patch being sent to the
 *      coalesced batch reaching a viewer (encoded as SSE), next to `kubectl get pods -w` on the
 *      same server seeing the same resourceVersion. p50/p99 of both.
 * The browser's share (EventSource parse + applyUpdate + React row update) is not measured here.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { createInterface } from "node:readline";
import { KubeConfig } from "@kubernetes/client-node";
import {
  BENCH_NAMESPACE as NAMESPACE,
  benchJobPod,
  kubeRequester as requester,
  percentileOrNaN as percentile,
} from "./lib/bench-kube";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { encodeSseFrame } from "@/lib/monitor/sse";
import { ALL_NAMESPACES } from "@/lib/monitor/validation";

// The registry lives in a server-only module; outside Next.js "server-only" would throw on import.
require.cache[require.resolve("server-only")] = { exports: {} } as NodeJS.Module;

// Memory is read after a full collection, so the figures are what is retained, not garbage.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const PODS = Number(process.env.BENCH_PODS ?? 5000);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// A real GitLab job pod carries the job's CI variables as env on its build and helper containers
// (~80-150); the demo cluster's pods carry none. BENCH_ENV_VARS=80 adds that many per container.
const ENV_VARS = Number(process.env.BENCH_ENV_VARS ?? 0);
const KUBECTL = process.env.KUBECTL ?? "/usr/bin/kubectl";
// BENCH_RECORDER=1: hold the connection's every-namespace pod cache before the viewers come, as the
// job recorder does in the server, so the figures include what the recorder costs.
const RECORDER = process.env.BENCH_RECORDER === "1";

function ciVariables(i: number): Array<{ name: string; value: string }> {
  return Array.from({ length: ENV_VARS }, (_, k) => ({
    name: `CI_VARIABLE_${k}`,
    value: `value-of-variable-${k}-for-job-${i}-${"x".repeat(24)}`,
  }));
}

function jobPod(i: number) {
  return benchJobPod(i, [
    { name: "build", image: "alpine", env: ciVariables(i), resources: { limits: { cpu: "1", memory: "2Gi" } } },
    { name: "helper", image: "helper", env: ciVariables(i) },
  ]);
}

/** The demo cluster in its own process, so its memory and CPU are not counted as ours. */
async function startCluster(dir: string): Promise<{ child: ChildProcess; kubeconfigFile: string }> {
  const kubeconfigFile = path.join(dir, "kubeconfig");
  const child = spawn(
    process.execPath,
    [
      path.join("node_modules", "tsx", "dist", "cli.mjs"),
      "packages/demo-cluster/src/cli.ts",
      "--port",
      "0",
      "--kubeconfig",
      kubeconfigFile,
      "--state",
      path.join(dir, "cluster"),
      "--no-simulation",
      "--empty",
      "--watch-window",
      "200000",
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const deadline = Date.now() + 60_000;
  while (!fs.existsSync(kubeconfigFile)) {
    if (Date.now() > deadline) throw new Error("demo cluster did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 500));
  return { child, kubeconfigFile };
}

/** One JSON request over a keep-alive connection pool (client-node opens a connection per call). */
async function createPods(kubeconfigFile: string) {
  const request = requester(fs.readFileSync(kubeconfigFile, "utf8"));
  await request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
  for (let i = 0; i < PODS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, PODS - i) }, (_, j) =>
        request("POST", `/api/v1/namespaces/${NAMESPACE}/pods`, jobPod(i + j)),
      ),
    );
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-bench-monitor-"));
  const { child, kubeconfigFile } = await startCluster(dir);
  const kubeconfig = fs.readFileSync(kubeconfigFile, "utf8");
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const request = requester(kubeconfig);
  // Created by a child process, so the creating client's garbage is not in our memory figures.
  const t0 = performance.now();
  const created = spawnSync(
    process.execPath,
    [path.join("node_modules", "tsx", "dist", "cli.mjs"), __filename, "--create-pods", kubeconfigFile],
    { stdio: "inherit", env: process.env },
  );
  if (created.status !== 0) throw new Error("creating the pods failed");
  console.log(`created ${PODS} pods in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const { PodStreamRegistry } = await import("@/lib/monitor/streams.server");
  gc();
  const baseline = process.memoryUsage();
  const registry = new PodStreamRegistry({ configFor: async () => kc, priceBook: async () => DEFAULT_PRICE_BOOKS.cn });
  const recorderHold = RECORDER ? registry.acquireCache({ connectionId: "bench", namespace: ALL_NAMESPACES }) : null;
  const leases = await Promise.all(
    Array.from({ length: VIEWERS }, () => registry.acquire({ connectionId: "bench", namespace: NAMESPACE })),
  );
  const stream = leases[0].value;
  const listStart = performance.now();
  while (stream.pods().length < PODS) await new Promise((r) => setTimeout(r, 20));
  console.log(`initial list of ${PODS} pods into summaries: ${(performance.now() - listStart).toFixed(0)} ms`);
  gc();
  const listed = process.memoryUsage();

  const seenByViewer = new Map<string, number>();
  let bytes = 0;
  for (const [index, lease] of leases.entries()) {
    lease.value.connect(null, (frame) => {
      const text = encodeSseFrame(frame);
      bytes += text.length;
      if (index !== 0 || frame.message.type !== "changes") return;
      const at = performance.now();
      for (const pod of frame.message.upserts)
        if (!seenByViewer.has(pod.resourceVersion)) seenByViewer.set(pod.resourceVersion, at);
    });
  }
  const stats = registry.stats();
  gc();
  const loaded = process.memoryUsage();
  console.log(
    `viewers: ${VIEWERS}${RECORDER ? " + the recorder's every-namespace cache" : ""}, upstream watches open: ${stats.active}, created: ${stats.created}`,
  );
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  console.log(`memory after a full gc: rss / heap used / external+arrayBuffers`);
  for (const [label, m] of [
    ["before the watch", baseline],
    ["pods listed", listed],
    [`${VIEWERS} viewers connected`, loaded],
  ] as const) {
    console.log(`  ${label.padEnd(22)} ${mb(m.rss)} / ${mb(m.heapUsed)} / ${mb(m.external + m.arrayBuffers)}`);
  }

  const kubectl = spawn(
    KUBECTL,
    [
      "--kubeconfig",
      kubeconfigFile,
      "get",
      "pods",
      "-n",
      NAMESPACE,
      "-w",
      "--watch-only",
      "-o",
      "custom-columns=RV:.metadata.resourceVersion",
      "--no-headers",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const seenByKubectl = new Map<string, number>();
  createInterface(kubectl.stdout).on("line", (line) => seenByKubectl.set(line.trim(), performance.now()));
  await new Promise((r) => setTimeout(r, 1500));

  const sentAt = new Map<string, number>();
  const total = RATE * SECONDS;
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let k = 0; k < total; k++) {
    const due = started + (k * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const name = jobPod(k % PODS).metadata.name;
    const sent = performance.now();
    pending.push(
      request(
        "PATCH",
        `/api/v1/namespaces/${NAMESPACE}/pods/${name}`,
        { metadata: { annotations: { "bench/seq": String(k) } } },
        "application/merge-patch+json",
      ).then((pod) => void sentAt.set(pod.metadata!.resourceVersion!, sent)),
    );
  }
  await Promise.all(pending);
  await new Promise((r) => setTimeout(r, 2000));
  kubectl.kill();
  gc();
  const patched = process.memoryUsage();

  const ours: number[] = [];
  const theirs: number[] = [];
  for (const [rv, sent] of sentAt) {
    const a = seenByViewer.get(rv);
    const b = seenByKubectl.get(rv);
    if (a !== undefined) ours.push(a - sent);
    if (b !== undefined) theirs.push(b - sent);
  }
  const row = (label: string, values: number[]) =>
    console.log(
      `${label.padEnd(22)} n=${values.length}/${sentAt.size}  p50 ${percentile(values, 50).toFixed(1)} ms  p99 ${percentile(values, 99).toFixed(1)} ms`,
    );
  console.log(`latency at ${RATE} patches/s over ${PODS} pods for ${SECONDS} s (send → seen):`);
  row("monitor stream (SSE)", ours);
  row("kubectl get pods -w", theirs);
  console.log(`SSE bytes sent to ${VIEWERS} viewers: ${(bytes / 2 ** 20).toFixed(1)} MB`);
  console.log(
    `memory after the patches (gc): rss ${mb(patched.rss)}, heap used ${mb(patched.heapUsed)}, external+arrayBuffers ${mb(patched.external + patched.arrayBuffers)}`,
  );

  leases.forEach((lease) => lease.release());
  recorderHold?.release();
  console.log(`after release: upstream watches open: ${registry.stats().active}`);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  fs.rmSync(dir, { recursive: true, force: true });
}

(process.argv[2] === "--create-pods" ? createPods(process.argv[3]) : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
