/**
 * `npm run bench -- recovery`: how long the monitor takes to be live again after the API server
 * returns, by outage length, with the reconnect backoff before issue 10 (0.5 s doubling to 30 s
 * whatever the error) and after it (at most 2 s between tries while the server does not answer).
 * The demo cluster runs in this process behind a TCP relay on loopback; an outage closes the relay
 * (connections refused, watches cut) while the cluster runs on. Both caches watch the same job pods
 * through the same relay, so they see the same outages. About 3 minutes; figures go to
 * docs/benchmarks.md "Recovery" by hand.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { startDemoCluster } from "@ask-ci/demo-cluster";
import type { Pod } from "@/lib/kube/pod";
import { TcpRelay } from "../lib/tcp-relay";

// kube-source lives in a server-only module; outside Next.js "server-only" would throw on import.
require.cache[require.resolve("server-only")] = { exports: {} } as NodeJS.Module;

const OUTAGES_S = [1, 3, 6, 10, 16, 25, 40];
const BACKOFFS = {
  before: { initialMs: 500, maxMs: 30_000 },
  after: undefined, // the default
} as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error("recovery benchmark: watchdog (8 min)");
    process.exit(2);
  }, 480_000);
  const { WatchCache } = await import("@/lib/monitor/watch-cache");
  const { podListWatchSource } = await import("@/lib/monitor/kube-source.server");
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-bench-recovery-"));
  const cluster = await startDemoCluster({ stateDir, jobsPerMinute: 12 });
  const api = new URL(cluster.url);
  const relay = new TcpRelay({ host: api.hostname, port: Number(api.port) });
  await relay.open();
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig.replace(cluster.url, `https://127.0.0.1:${relay.port}`));

  const caches = Object.entries(BACKOFFS).map(([name, backoff]) => {
    const cache = new WatchCache<Pod>(
      podListWatchSource(async () => kc, "gitlab-runner", "job.runner.gitlab.com/pod"),
      backoff ? { backoff } : {},
    );
    cache.start();
    return { name, cache, backToLiveMs: [] as number[] };
  });
  const allLive = () => caches.every(({ cache }) => cache.status.state === "live");
  while (!allLive()) await sleep(20);

  for (const seconds of OUTAGES_S) {
    await relay.cut();
    await sleep(seconds * 1000);
    const returned = performance.now();
    await relay.open();
    const pending = new Set(caches);
    while (pending.size > 0) {
      for (const entry of pending) {
        if (entry.cache.status.state !== "live") continue;
        entry.backToLiveMs.push(performance.now() - returned);
        pending.delete(entry);
      }
      await sleep(20);
    }
    console.log(
      `outage ${seconds} s: ${caches.map((c) => `${c.name} ${(c.backToLiveMs.at(-1)! / 1000).toFixed(2)} s`).join(", ")}`,
    );
    await sleep(1_000);
  }
  console.log("\n| outage | " + OUTAGES_S.map((s) => `${s} s`).join(" | ") + " |");
  console.log("|---|" + OUTAGES_S.map(() => "---").join("|") + "|");
  for (const { name, backToLiveMs } of caches) {
    console.log(`| ${name} | ${backToLiveMs.map((ms) => (ms / 1000).toFixed(1)).join(" | ")} |`);
  }
  for (const { cache } of caches) cache.stop();
  await relay.cut();
  await cluster.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
  clearTimeout(watchdog);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
