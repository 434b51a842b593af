import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { useFreshDatabase } from "@/tests/test-db";
import { TcpRelay } from "@/scripts/lib/tcp-relay";

// Issue 10, "Recovery": the demo cluster keeps running its CI jobs while the dashboard loses the
// API server (five outages in a row) and while the dashboard itself restarts. Every job pod that
// ended and that the dashboard could have seen is recorded, exactly once; nothing is recorded that
// did not end; the monitor is live again within seconds of each return. A job pod created and
// deleted entirely inside one gap leaves only events behind, without its spec: recording it is the
// GitLab link's backfill (docs/security.md "What survives which fault").

const NAMESPACE = "gitlab-runner";
const JOB_LABEL = "job.runner.gitlab.com/pod";

let cluster: DemoCluster;
let stateDir: string;
let db: typeof import("@/lib/db.server").db;
let recorderModule: typeof import("@/lib/monitor/job-recorder.server");
let streams: typeof import("@/lib/monitor/streams.server");
let openJobPods: typeof import("@/lib/monitor/open-job-pods.server");
let connectionId: string;

interface Lifetime {
  created: number;
  ended: number | null;
}

/** Every job pod the cluster ran, with when it appeared and when it finished or went (test clock). */
function trackJobPods(demo: DemoCluster): Map<string, Lifetime> {
  const pods = new Map<string, Lifetime>();
  demo.store.subscribe(({ type, object }) => {
    if (object.kind !== "Pod" || object.metadata?.labels?.[JOB_LABEL] === undefined) return;
    const uid = object.metadata.uid as string;
    const now = Date.now();
    const pod = pods.get(uid) ?? { created: now, ended: null };
    pods.set(uid, pod);
    const phase = (object as { status?: { phase?: string } }).status?.phase;
    if (pod.ended === null && (type === "DELETED" || phase === "Succeeded" || phase === "Failed")) pod.ended = now;
  });
  return pods;
}

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  useFreshDatabase();
  db = (await import("@/lib/db.server")).db;
  recorderModule = await import("@/lib/monitor/job-recorder.server");
  streams = await import("@/lib/monitor/streams.server");
  openJobPods = await import("@/lib/monitor/open-job-pods.server");
  connectionId = (
    await db.connection.create({
      data: { name: "demo", server: "https://127.0.0.1:1", authType: "token", credentials: "{}" },
    })
  ).id;
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-recovery-"));
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  // Busy and fast: 1–15 minute jobs in 2–45 s, about two new ones a second.
  cluster = await startDemoCluster({ stateDir, jobsPerMinute: 120, speed: 20, failureRate: 0, persistDelayMs: 50 });
});

afterAll(async () => {
  await cluster?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe("recovery after API-server outages and a dashboard restart", () => {
  it("records every job that ended, once, and is live again within seconds of each return", async () => {
    // Each refused reconnect is logged; expected here.
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const lifetimes = trackJobPods(cluster);
    const apiUrl = new URL(cluster.url);
    const relay = new TcpRelay({ host: apiUrl.hostname, port: Number(apiUrl.port) });
    await relay.open();
    const kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig.replace(cluster.url, `https://127.0.0.1:${relay.port}`));

    /** One dashboard process: its own stream registry and recorder over the relay. */
    const dashboard = () => {
      const registry = new streams.PodStreamRegistry({
        configFor: async () => kc,
        priceBook: async () => DEFAULT_PRICE_BOOKS.cn,
      });
      const recorder = new recorderModule.JobRecorder({
        registry,
        targets: async () => [{ connectionId, namespace: NAMESPACE }],
        openPods: new openJobPods.DatabaseOpenJobPods(100),
        stoppedAt: (_connection, pod) => recorderModule.stoppedAtFromApi(kc, pod),
        onError: () => undefined,
      });
      return { registry, recorder };
    };
    // The recorder's own stream, as the monitor page shares it.
    const liveState = async (registry: import("@/lib/monitor/streams.server").PodStreamRegistry) => {
      const lease = await registry.acquire({ connectionId, namespace: NAMESPACE });
      const state = lease.value.cache.status.state;
      lease.release();
      return state;
    };

    // Gaps in which the dashboard saw nothing: [from, to] on the test clock.
    const gaps: Array<[number, number]> = [];
    const backToLive: number[] = [];

    let current = dashboard();
    await current.recorder.reconcile();
    await until("live", async () => (await liveState(current.registry)) === "live");
    await sleep(5_000);

    for (let outage = 0; outage < 5; outage++) {
      const from = Date.now();
      await relay.cut();
      await until("reconnecting", async () => (await liveState(current.registry)) === "reconnecting");
      await sleep(outage === 4 ? 15_000 : 3_000);
      const returned = Date.now();
      await relay.open();
      await until("live again", async () => (await liveState(current.registry)) === "live", 15_000);
      backToLive.push(Date.now() - returned);
      gaps.push([from, Date.now()]);
      await sleep(2_000);
    }

    // The dashboard restarts: its last writes done, its watches closed, memory gone.
    const stoppedAt = Date.now();
    await current.recorder.drain();
    current.recorder.stop();
    await sleep(8_000);
    current = dashboard();
    await current.recorder.reconcile();
    await until("live after the restart", async () => (await liveState(current.registry)) === "live");
    gaps.push([stoppedAt, Date.now()]);
    const insideOneGap = (life: Lifetime) =>
      gaps.some(([from, to]) => life.created >= from - 1_000 && (life.ended ?? Infinity) <= to + 1_000);
    // The runner deletes a job pod when its job ends, and the pod goes 30 s later (the grace period
    // its shells ignore SIGTERM for): give enough of them time to be gone before counting.
    await until(
      "enough job pods gone outside the gaps",
      () => [...lifetimes.values()].filter((life) => life.ended !== null && !insideOneGap(life)).length >= 5,
      90_000,
    );
    await sleep(3_000);

    // Every job pod that has ended by now and was visible at some moment outside the gaps (a
    // second's margin either side) must be recorded; none that is still running may be.
    const cutoff = Date.now();
    const ended = [...lifetimes].filter(([, life]) => life.ended !== null && life.ended < cutoff);
    const expected = ended.filter(([, life]) => !insideOneGap(life)).map(([uid]) => uid);
    const onlyWithGitlab = ended.filter(([, life]) => insideOneGap(life)).map(([uid]) => uid);
    expect(expected.length).toBeGreaterThanOrEqual(5);

    const recordedUids = async () =>
      new Set((await db.jobRecord.findMany({ select: { podUid: true } })).map((r) => r.podUid));
    await until(
      "every expected job recorded",
      async () => {
        const recorded = await recordedUids();
        return expected.every((uid) => recorded.has(uid));
      },
      20_000,
    ).catch(async () => {
      const recorded = await recordedUids();
      expect(expected.filter((uid) => !recorded.has(uid))).toEqual([]);
    });
    await current.recorder.drain();
    current.recorder.stop();

    const rows = await db.jobRecord.findMany({ select: { podUid: true, finishedAt: true, createdAt: true } });
    // Once each (the unique pod uid), and only pods that really ended.
    expect(new Set(rows.map((r) => r.podUid)).size).toBe(rows.length);
    for (const row of rows) {
      expect(lifetimes.get(row.podUid)?.ended, `recorded ${row.podUid} which has not ended`).not.toBeNull();
      expect(row.finishedAt.getTime()).toBeGreaterThanOrEqual(row.createdAt.getTime());
    }
    for (const time of backToLive) expect(time).toBeLessThan(5_000);
    console.info(
      `recovery: ${expected.length} jobs expected and recorded, ${onlyWithGitlab.length} only in a gap; ` +
        `back to live after ${backToLive.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(", ")}`,
    );
  }, 270_000);
});
