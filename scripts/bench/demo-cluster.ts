/**
 * Demo cluster benchmark (not part of `npm test`): `npm run bench -- demo-cluster`.
 *
 * The server runs in this process (simulation off, so only our writes happen; temp state dir, so
 * snapshots are written as in real use) with PODS job pods created through the store. Every
 * client runs in a child process (this file again, with `--client`), so the server's event loop
 * and RSS are measured alone:
 *   1. list latency over HTTPS (keep-alive, CA verified): JSON, Table, a label selector, a page;
 *   2. watch fan-out: WATCHERS watches, then single updates: time until the last watcher has each;
 *   3. sustained: RATE updates/s for SECONDS through the store: events delivered to every watcher,
 *      send → receive lag, server event-loop delay, RSS and CPU of both processes.
 * Bounded: a watchdog ends everything after 170 s; only loopback traffic.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import type { ClientRequest } from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { parse as parseYaml } from "yaml";
import { startDemoCluster, VIRTUAL_NODE_NAME } from "@ask-ci/demo-cluster";
import type { KubeObject } from "@ask-ci/demo-cluster/types";
import { percentileOrNaN as percentile } from "./lib/bench-kube";

const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LIST_RUNS = Number(process.env.BENCH_LIST_RUNS ?? 10);
const FANOUT_UPDATES = 20;
const NAMESPACE = "bench";
const SENT_AT = "bench/sent-at";
const WATCHDOG_MS = 170_000;

const now = () => performance.timeOrigin + performance.now();

/** Aggregate CPU jiffies from /proc/stat (Linux): busy, steal (taken by the hypervisor) and total. */
function machineCpu(): { busy: number; steal: number; total: number } | undefined {
  try {
    const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
    return {
      busy: user + nice + system + irq + softirq,
      steal,
      total: user + nice + system + idle + iowait + irq + softirq + steal,
    };
  } catch {
    return undefined;
  }
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

// ---- client process ----

interface ListStats {
  name: string;
  bytes: number;
  ttfb: number[];
  total: number[];
}

interface PhaseStats {
  updates: number;
  expected: number;
  delivered: number;
  watchersComplete: number;
  lag: { p50: number; p99: number; max: number };
  /** Per update: time until the first and the last watcher had it. */
  first: { p50: number; p99: number };
  last: { p50: number; p99: number; max: number };
  drainMs: number;
  cpuMs: number;
}

type Command =
  | { cmd: "list"; runs: number }
  | { cmd: "watch"; watchers: number; resourceVersion: string }
  | { cmd: "drain"; updates: number; lastResourceVersion: number }
  | { cmd: "exit" };

async function runClient(kubeconfigFile: string): Promise<void> {
  const doc = parseYaml(fs.readFileSync(kubeconfigFile, "utf8")) as {
    clusters: Array<{ cluster: { server: string; "certificate-authority-data": string } }>;
    users: Array<{ user: { token: string } }>;
  };
  const server = new URL(doc.clusters[0].cluster.server);
  const ca = Buffer.from(doc.clusters[0].cluster["certificate-authority-data"], "base64");
  const headers = { authorization: `Bearer ${doc.users[0].user.token}` };
  const reply = (message: unknown) => process.stdout.write(JSON.stringify(message) + "\n");

  const listAgent = new https.Agent({ keepAlive: true, maxSockets: 1, ca });
  function timedGet(pathname: string, accept: string): Promise<{ ttfb: number; total: number; bytes: number }> {
    return new Promise((resolve, reject) => {
      const start = performance.now();
      const req = https.get(
        { host: server.hostname, port: server.port, path: pathname, agent: listAgent, headers: { ...headers, accept } },
        (res) => {
          const ttfb = performance.now() - start;
          let bytes = 0;
          res.on("data", (chunk: Buffer) => (bytes += chunk.length));
          res.on("end", () => {
            if (res.statusCode !== 200) reject(new Error(`GET ${pathname}: ${res.statusCode}`));
            else resolve({ ttfb, total: performance.now() - start, bytes });
          });
        },
      );
      req.on("error", reject);
    });
  }

  async function lists(runs: number): Promise<ListStats[]> {
    const pods = `/api/v1/namespaces/${NAMESPACE}/pods`;
    const json = "application/json";
    const table = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    const cases = [
      { name: `JSON, all ${PODS} pods`, path: pods, accept: json },
      { name: `Table (kubectl get), all ${PODS} pods`, path: pods, accept: table },
      {
        name: "JSON, label selector (1 project in 50)",
        path: `${pods}?labelSelector=${encodeURIComponent("project.runner.gitlab.com/id=7")}`,
        accept: json,
      },
      { name: "JSON, first page limit=500", path: `${pods}?limit=500`, accept: json },
    ];
    const results: ListStats[] = [];
    for (const c of cases) {
      const stats: ListStats = { name: c.name, bytes: 0, ttfb: [], total: [] };
      await timedGet(c.path, c.accept); // warm-up (connection, caches)
      for (let i = 0; i < runs; i++) {
        const r = await timedGet(c.path, c.accept);
        stats.bytes = r.bytes;
        stats.ttfb.push(r.ttfb);
        stats.total.push(r.total);
      }
      results.push(stats);
    }
    return results;
  }

  // Per watcher: the highest resourceVersion seen; per update (by resourceVersion): arrival times.
  const watchAgent = new https.Agent({ keepAlive: false, ca });
  const requests: ClientRequest[] = [];
  let seenRv: number[] = [];
  let arrivals = new Map<number, { sentAt: number; times: number[] }>();
  let lags: number[] = [];
  const RV = /"resourceVersion":"(\d+)"/;
  const SENT = /"bench\/sent-at":"([\d.]+)"/;

  function onLine(watcher: number, line: string, at: number): void {
    const sent = SENT.exec(line);
    const rv = RV.exec(line);
    if (!sent || !rv) return; // BOOKMARKs and anything not ours
    const version = Number(rv[1]);
    const sentAt = Number(sent[1]);
    seenRv[watcher] = Math.max(seenRv[watcher], version);
    lags.push(at - sentAt);
    let entry = arrivals.get(version);
    if (!entry) arrivals.set(version, (entry = { sentAt, times: [] }));
    entry.times.push(at);
  }

  function watch(count: number, resourceVersion: string): Promise<void> {
    seenRv = new Array<number>(count).fill(0);
    let open = 0;
    return new Promise((resolve, reject) => {
      for (let w = 0; w < count; w++) {
        const query = `watch=1&allowWatchBookmarks=true&timeoutSeconds=600&resourceVersion=${resourceVersion}`;
        const req = https.get(
          {
            host: server.hostname,
            port: server.port,
            path: `/api/v1/namespaces/${NAMESPACE}/pods?${query}`,
            agent: watchAgent,
            headers: { ...headers, accept: "application/json" },
          },
          (res) => {
            if (res.statusCode !== 200) return reject(new Error(`watch: ${res.statusCode}`));
            let buffered = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => {
              const at = now();
              buffered += chunk;
              let newline: number;
              while ((newline = buffered.indexOf("\n")) >= 0) {
                onLine(w, buffered.slice(0, newline), at);
                buffered = buffered.slice(newline + 1);
              }
            });
            res.on("end", () => reply({ error: `watch ${w} ended` }));
            if (++open === count) resolve();
          },
        );
        req.on("error", reject);
        requests.push(req);
      }
    });
  }

  async function drain(updates: number, lastResourceVersion: number): Promise<PhaseStats> {
    const start = performance.now();
    while (seenRv.some((rv) => rv < lastResourceVersion) && performance.now() - start < 15_000) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const first: number[] = [];
    const last: number[] = [];
    for (const { sentAt, times } of arrivals.values()) {
      first.push(Math.min(...times) - sentAt);
      if (times.length === seenRv.length) last.push(Math.max(...times) - sentAt);
    }
    const stats: PhaseStats = {
      updates,
      expected: updates * seenRv.length,
      delivered: lags.length,
      watchersComplete: seenRv.filter((rv) => rv >= lastResourceVersion).length,
      lag: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: percentile(lags, 100) },
      first: { p50: percentile(first, 50), p99: percentile(first, 99) },
      last: { p50: percentile(last, 50), p99: percentile(last, 99), max: percentile(last, 100) },
      drainMs: performance.now() - start,
      cpuMs: 0,
    };
    arrivals = new Map();
    lags = [];
    return stats;
  }

  let cpuMark = process.cpuUsage();
  const input = createInterface(process.stdin);
  input.on("close", () => process.exit(0)); // the server process went away
  for await (const line of input) {
    const command = JSON.parse(line) as Command;
    if (command.cmd === "list") reply({ lists: await lists(command.runs) });
    else if (command.cmd === "watch") {
      await watch(command.watchers, command.resourceVersion);
      cpuMark = process.cpuUsage();
      reply({ watching: command.watchers });
    } else if (command.cmd === "drain") {
      const stats = await drain(command.updates, command.lastResourceVersion);
      const cpu = process.cpuUsage(cpuMark);
      cpuMark = process.cpuUsage();
      reply({ phase: { ...stats, cpuMs: (cpu.user + cpu.system) / 1000 } });
    } else {
      for (const req of requests) req.destroy();
      process.exit(0);
    }
  }
}

// ---- server process ----

function jobPod(i: number): KubeObject {
  const project = i % 50;
  const started = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const name = `runner-bench-project-${project}-concurrent-0-${String(i).padStart(6, "0")}`;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: NAMESPACE,
      labels: {
        "job.runner.gitlab.com/pod": `runner-bench-project-${project}-concurrent-0`,
        "manager.runner.gitlab.com/name": "bench",
        "manager.runner.gitlab.com/id-short": "bench0001",
        "project.runner.gitlab.com/id": String(project),
        "project.runner.gitlab.com/namespace": "group",
        "project.runner.gitlab.com/name": `project-${project}`,
      },
      annotations: {
        "job.runner.gitlab.com/id": String(100_000 + i),
        "job.runner.gitlab.com/url": `https://gitlab.example.com/group/project-${project}/-/jobs/${100_000 + i}`,
        "job.runner.gitlab.com/ref": "main",
        "job.runner.gitlab.com/name": ["build", "test", "package", "deploy"][i % 4],
        "k8s.aliyun.com/eci-instance-spec": "2.0-4.0Gi",
        "k8s.aliyun.com/eci-instance-id": `eci-bench${String(i).padStart(12, "0")}`,
      },
    },
    spec: {
      nodeName: VIRTUAL_NODE_NAME,
      restartPolicy: "Never",
      containers: [
        {
          name: "build",
          image: "registry.example.com/ci/node:20",
          command: ["sh", "-c"],
          resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
        },
        {
          name: "helper",
          image: "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v17.5.0",
          resources: { requests: { cpu: "100m", memory: "128Mi" } },
        },
      ],
    },
    status: {
      phase: "Running",
      startTime: started,
      hostIP: "10.0.0.1",
      podIP: `10.1.${Math.floor(i / 250)}.${i % 250}`,
      conditions: [
        { type: "PodScheduled", status: "True", lastTransitionTime: started },
        { type: "Initialized", status: "True", lastTransitionTime: started },
        { type: "ContainersReady", status: "True", lastTransitionTime: started },
        { type: "Ready", status: "True", lastTransitionTime: started },
      ],
      containerStatuses: ["build", "helper"].map((container) => ({
        name: container,
        ready: true,
        restartCount: 0,
        image: container,
        imageID: "",
        containerID: `containerd://${container}-${i}`,
        started: true,
        state: { running: { startedAt: started } },
      })),
    },
  };
}

async function runServer(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`demo-cluster bench: watchdog, still running after ${WATCHDOG_MS / 1000} s`);
    process.exit(1);
  }, WATCHDOG_MS);
  const benchStart = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-bench-demo-cluster-"));
  const kubeconfigPath = path.join(dir, "kubeconfig");
  const cluster = await startDemoCluster({
    port: 0,
    stateDir: path.join(dir, "state"),
    kubeconfigPath,
    simulate: false,
    seedWorkload: false,
  });
  const { store } = cluster;
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );

  store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
  let t = performance.now();
  for (let i = 0; i < PODS; i++) store.create(jobPod(i));
  console.log(`created ${PODS} pods through the store in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  global.gc?.();
  const rssLoaded = process.memoryUsage();
  console.log(`server with ${PODS} pods: RSS ${mb(rssLoaded.rss)} MB, heap ${mb(rssLoaded.heapUsed)} MB`);

  const child = spawn(
    process.execPath,
    [path.join("node_modules", "tsx", "dist", "cli.mjs"), process.argv[1], "--client", kubeconfigPath],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const replies = createInterface(child.stdout)[Symbol.asyncIterator]();
  async function ask<T>(command: Command, key: string): Promise<T> {
    child.stdin.write(JSON.stringify(command) + "\n");
    for (;;) {
      const next = await replies.next();
      if (next.done) throw new Error("client process ended");
      const message = JSON.parse(next.value) as Record<string, unknown>;
      if (message.error) console.error(`client: ${message.error}`);
      if (key in message) return message[key] as T;
    }
  }

  console.log(`\nlist latency, ${LIST_RUNS} runs after a warm-up, HTTPS keep-alive (ms):`);
  for (const s of await ask<ListStats[]>({ cmd: "list", runs: LIST_RUNS }, "lists")) {
    console.log(
      `  ${s.name.padEnd(38)} ${(s.bytes / 2 ** 20).toFixed(2).padStart(6)} MB  first byte p50 ${ms(percentile(s.ttfb, 50))}  complete p50 ${ms(percentile(s.total, 50))}  p99 ${ms(percentile(s.total, 99))}`,
    );
  }

  t = performance.now();
  await ask({ cmd: "watch", watchers: WATCHERS, resourceVersion: String(store.resourceVersion) }, "watching");
  console.log(
    `\n${WATCHERS} watches open in ${ms(performance.now() - t)} ms (child process); server watchers: ${store.watcherCount()}`,
  );

  let sequence = 0;
  function touch(): number {
    const pod = store.get({ apiVersion: "v1", kind: "Pod" }, NAMESPACE, jobPod(sequence++ % PODS).metadata.name!)!;
    pod.metadata.annotations = { ...pod.metadata.annotations, [SENT_AT]: now().toFixed(3) };
    return Number(store.update(pod).metadata.resourceVersion);
  }

  // Fan-out: one update at a time, so each one's spread over the watchers is visible.
  let lastRv = 0;
  for (let i = 0; i < FANOUT_UPDATES; i++) {
    lastRv = touch();
    await new Promise((r) => setTimeout(r, 100));
  }
  const fanout = await ask<PhaseStats>({ cmd: "drain", updates: FANOUT_UPDATES, lastResourceVersion: lastRv }, "phase");
  console.log(
    `fan-out, ${FANOUT_UPDATES} single updates: ${fanout.delivered}/${fanout.expected} delivered; first watcher p50 ${ms(fanout.first.p50)} ms, last of ${WATCHERS} p50 ${ms(fanout.last.p50)} ms, max ${ms(fanout.last.max)} ms`,
  );

  // Sustained: RATE updates/s, sent in 10 ms ticks (catching up if a tick is late).
  // The histogram records whole timer intervals; the 1 ms resolution is subtracted when printed.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let rssMax = 0;
  const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 250);
  const gcPauses: number[] = [];
  const gcObserver = new PerformanceObserver((list) =>
    list.getEntries().forEach((entry) => gcPauses.push(entry.duration)),
  );
  gcObserver.observe({ entryTypes: ["gc"] });
  const total = RATE * SECONDS;
  const cpuBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  delay.enable();
  t = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t) / 1000) * RATE));
    for (; sent < due; sent++) lastRv = touch();
    await new Promise((r) => setTimeout(r, 10));
  }
  const sendSeconds = (performance.now() - t) / 1000;
  const sustained = await ask<PhaseStats>({ cmd: "drain", updates: total, lastResourceVersion: lastRv }, "phase");
  const wall = (performance.now() - t) / 1000;
  delay.disable();
  clearInterval(rssTimer);
  gcObserver.disconnect();
  const cpu = process.cpuUsage(cpuBefore);
  const machineAfter = machineCpu();
  const serverCpu = (cpu.user + cpu.system) / 1e6;
  console.log(
    `\nsustained: ${total} updates in ${sendSeconds.toFixed(1)} s (${(total / sendSeconds).toFixed(0)}/s) to ${WATCHERS} watchers`,
  );
  console.log(
    `  delivered ${sustained.delivered}/${sustained.expected} events (${(sustained.delivered / sendSeconds).toFixed(0)}/s), ${sustained.watchersComplete}/${WATCHERS} watchers got the last one, drained ${ms(sustained.drainMs)} ms after the last send`,
  );
  console.log(
    `  lag send → received: p50 ${ms(sustained.lag.p50)} ms, p99 ${ms(sustained.lag.p99)} ms, max ${ms(sustained.lag.max)} ms; per update, last watcher p50 ${ms(sustained.last.p50)} ms, p99 ${ms(sustained.last.p99)} ms`,
  );
  const late = (ns: number) => ms(Math.max(0, ns / 1e6 - 1));
  console.log(
    `  server event-loop delay: p50 ${late(delay.percentile(50))} ms, p99 ${late(delay.percentile(99))} ms, max ${late(delay.max)} ms`,
  );
  console.log(
    `  server GC: ${gcPauses.length} pauses, ${ms(gcPauses.reduce((a, b) => a + b, 0))} ms in all, longest ${ms(Math.max(0, ...gcPauses))} ms`,
  );
  console.log(
    `  server RSS max ${mb(rssMax)} MB; CPU: server ${((serverCpu / wall) * 100).toFixed(0)}% of a core, watcher process ${((sustained.cpuMs / 1000 / wall) * 100).toFixed(0)}%`,
  );

  if (machineBefore && machineAfter) {
    const total = machineAfter.total - machineBefore.total;
    const share = (jiffies: number) => `${((jiffies / total) * 100).toFixed(0)}%`;
    console.log(
      `  whole machine meanwhile: ${share(machineAfter.busy - machineBefore.busy)} busy, ${share(machineAfter.steal - machineBefore.steal)} stolen by the hypervisor (of ${os.cpus().length} CPUs)`,
    );
  }

  await ask({ cmd: "exit" }, "never").catch(() => undefined);
  await cluster.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  clearTimeout(watchdog);
  console.log(`\ntotal ${((performance.now() - benchStart) / 1000).toFixed(0)} s`);
}

const role = process.argv[2] === "--client" ? runClient(process.argv[3]) : runServer();
role.catch((error) => {
  console.error(error);
  process.exit(1);
});
