import path from "node:path";
import fs from "node:fs";
import os from "node:os";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import type { Pod } from "@/lib/kube/pod";
import { applyUpdate } from "@/lib/monitor/apply-update";
import { podListWatchSource } from "@/lib/monitor/kube-source.server";
import type { PodSummary } from "@/lib/monitor/pod-summary";
import { PodStreamRegistry } from "@/lib/monitor/streams.server";
import { ALL_NAMESPACES } from "@/lib/monitor/validation";
import { WatchCache, type ListWatchSource } from "@/lib/monitor/watch-cache";

// A real HTTPS API server with the simulated runner creating job pods: slower than a unit test.
const NAMESPACE = "gitlab-runner";
const JOB_SELECTOR = "job.runner.gitlab.com/pod";

let cluster: DemoCluster;
let stateDir: string;
let kc: KubeConfig;

async function start(port = 0) {
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  cluster = await startDemoCluster({ port, stateDir, jobsPerMinute: 120, watchWindow: 40, persistDelayMs: 50 });
  kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
}

async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function listJobPods(): Promise<Map<string, string>> {
  const list = await kc
    .makeApiClient(CoreV1Api)
    .listNamespacedPod({ namespace: NAMESPACE, labelSelector: JOB_SELECTOR });
  return new Map(list.items.map((p) => [p.metadata!.uid!, p.metadata!.resourceVersion!]));
}

/** The cache's job pods and versions equal a fresh list's (retried by callers while events arrive). */
async function cacheMatchesCluster(cache: WatchCache<Pod>): Promise<boolean> {
  const actual = await listJobPods();
  const cached = new Map(
    cache
      .list()
      .filter((p) => p.metadata?.labels?.[JOB_SELECTOR] !== undefined)
      .map((p) => [p.metadata!.uid!, p.metadata!.resourceVersion!]),
  );
  return actual.size === cached.size && [...actual].every(([uid, rv]) => cached.get(uid) === rv);
}

beforeAll(async () => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-monitor-"));
  await start();
});

afterAll(async () => {
  await cluster?.stop();
});

describe("monitor watches against the demo cluster", () => {
  it("100 viewers share one upstream watch that sees job pods come and go, released by the last viewer", async () => {
    const registry = new PodStreamRegistry({
      configFor: async () => kc,
      priceBook: async () => DEFAULT_PRICE_BOOKS.cn,
    });
    const target = { connectionId: "demo", namespace: NAMESPACE };
    const leases = await Promise.all(Array.from({ length: 100 }, () => registry.acquire(target)));
    expect(registry.stats()).toMatchObject({ active: 1, created: 1 });
    expect(new Set(leases.map((l) => l.value)).size).toBe(1);

    let rows: PodSummary[] = [];
    const seenRunning = new Set<string>();
    const disconnect = leases[0].value.connect(null, (frame) => {
      rows = applyUpdate(rows, frame.message);
      for (const row of rows) if (row.phase === "Running") seenRunning.add(row.uid);
    });
    await until("a running job pod", () => rows.some((r) => r.phase === "Running"));
    expect(rows.every((r) => r.isJobPod && r.runner !== null)).toBe(true);
    expect(rows[0]).toMatchObject({ namespace: NAMESPACE, cost: { currency: "CNY" } });
    expect(rows[0].jobUrl).toMatch(/^https?:\/\/.+\/-\/jobs\/\d+$/);
    // The runner deletes its job pods while they run; once the grace period has ended them they
    // leave the table (a finished job is in History, not a Vanished row).
    await until(
      "a running job pod gone",
      () => [...seenRunning].some((uid) => !rows.some((r) => r.uid === uid)),
      90_000,
    );
    expect(rows.filter((r) => r.phase === "Vanished" && r.reason === null)).toEqual([]);
    disconnect();

    leases.forEach((lease) => lease.release());
    expect(registry.stats()).toMatchObject({ active: 0, created: 1 });
  }, 120_000);

  it("watches job pods in every namespace (the recorder's target) with credentials that may", async () => {
    const { podWatchEverywhere } = await import("@/lib/connections/probe.server");
    expect(await podWatchEverywhere(kc)).toBe("allowed");
    const cache = new WatchCache<Pod>(podListWatchSource(async () => kc, ALL_NAMESPACES, JOB_SELECTOR));
    cache.start();
    try {
      await until("the all-namespaces cache to hold the runner's job pods", () => cache.list().length > 0);
      await until("the all-namespaces cache to match gitlab-runner's job pods", () => cacheMatchesCluster(cache));
    } finally {
      cache.stop();
    }
  });

  it("relists after 410 Gone when the resourceVersion fell out of the watch window", async () => {
    const real = podListWatchSource(async () => kc, NAMESPACE, undefined);
    let releaseFirstWatch!: () => void;
    const gate = new Promise<void>((resolve) => (releaseFirstWatch = resolve));
    let watches = 0;
    const gated: ListWatchSource<Pod> = {
      list: () => real.list(),
      async watch(rv, onEvent, onDone) {
        if (watches++ === 0) await gate;
        return real.watch(rv, onEvent, onDone);
      },
    };
    const errors: string[] = [];
    const cache = new WatchCache<Pod>(gated, {
      backoff: { initialMs: 100, maxMs: 500 },
      onError: (m) => errors.push(m),
    });
    cache.start();
    await until("the first list", () => cache.counters.lists === 1 && watches === 1);
    // More writes than the watch window holds, so the listed resourceVersion expires.
    const core = kc.makeApiClient(CoreV1Api);
    for (let i = 0; i < 50; i++) {
      await core.createNamespacedConfigMap({
        namespace: NAMESPACE,
        body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `monitor-410-${i}` }, data: { i: String(i) } },
      });
    }
    releaseFirstWatch();
    await until("a relist", () => cache.counters.lists >= 2 && cache.status.state === "live");
    // A relist without any error reported: the 410 path, not the error-and-backoff path.
    expect(errors).toEqual([]);
    await until("the cache to match a fresh list", () => cacheMatchesCluster(cache));
    cache.stop();
  }, 60_000);

  it("goes stale while the cluster is down and catches up without losing state after it restarts", async () => {
    const cache = new WatchCache<Pod>(
      podListWatchSource(async () => kc, NAMESPACE, JOB_SELECTOR),
      { backoff: { initialMs: 100, maxMs: 400 } },
    );
    cache.start();
    await until("live with job pods", () => cache.status.state === "live" && cache.list().length > 0);
    const port = Number(new URL(cluster.url).port);

    const stoppedAt = Date.now();
    await cluster.stop();
    await until("reconnecting", () => cache.status.state === "reconnecting");
    const noticedAt = Date.now();
    const staleSince = cache.status.since;
    expect(staleSince).toBeGreaterThanOrEqual(stoppedAt);
    expect(staleSince).toBeLessThanOrEqual(noticedAt);
    const uidsWhenDown = cache
      .list()
      .map((p) => p.metadata!.uid)
      .sort();
    expect(uidsWhenDown.length).toBeGreaterThan(0);
    // Retries fail while the cluster is down: the rows stay, stale from the first failure on.
    const listsWhenDown = cache.counters.lists;
    await until("two more failed relists", () => cache.counters.lists >= listsWhenDown + 2);
    expect(cache.status).toMatchObject({ state: "reconnecting", since: staleSince });
    expect(
      cache
        .list()
        .map((p) => p.metadata!.uid)
        .sort(),
    ).toEqual(uidsWhenDown);

    await start(port);
    await until("live again", () => cache.status.state === "live");
    expect(cache.status.since).toBeGreaterThan(noticedAt);
    // Same set of job pods and the same versions as a fresh list, once the watch has caught up.
    await until("the cache to match a fresh list", () => cacheMatchesCluster(cache));
    cache.stop();
  }, 60_000);
});
