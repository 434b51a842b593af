import http from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import type { Pod } from "@/lib/kube/pod";
import { jobPod } from "./testing/pods";
import { FakeSource } from "./testing/fake-source";
import type { OpenJobPods } from "./open-job-pods.server";

// The job recorder's bookkeeping, each piece of which a caller depends on: which watches it holds
// as connections come and go, which running job pods it remembers (and rewrites) for a restart,
// that drain() waits for writes, what liveJobPods gives the alerts, and the events query of
// stoppedAtFromApi. Written for issue 19's mutation run of lib/monitor/*.server.ts (docs/testing.md).

let recorder: typeof import("./job-recorder.server");
let streams: typeof import("./streams.server");
let db: typeof import("@/lib/db.server").db;

beforeAll(async () => {
  useFreshDatabase();
  recorder = await import("./job-recorder.server");
  streams = await import("./streams.server");
  db = (await import("@/lib/db.server")).db;
});

/** An OpenJobPods in memory that counts what the recorder asks of it. */
class MemoryOpenPods implements OpenJobPods {
  remembered: Pod[] = [];
  forgotten: string[] = [];
  open: Pod[] = [];
  flushError: Error | null = null;
  remember(_connectionId: string, pod: Pod) {
    this.remembered.push(structuredClone(pod));
  }
  forget(uid: string) {
    this.forgotten.push(uid);
  }
  async openIn() {
    return this.open;
  }
  async flush() {
    if (this.flushError) throw this.flushError;
  }
}

/** A registry whose every (connection, namespace) is a FakeSource of its own, made on first use. */
function fakeCluster() {
  const sources = new Map<string, FakeSource<Pod>>();
  const source = (namespace: string) => {
    let s = sources.get(namespace);
    if (!s) sources.set(namespace, (s = new FakeSource<Pod>()));
    return s;
  };
  const registry = new streams.PodStreamRegistry({
    configFor: () => Promise.reject(new Error("no cluster in this test")),
    sourceFor: (target) => source(target.namespace),
    priceBook: async () => DEFAULT_PRICE_BOOKS.cn,
  });
  return { registry, source };
}

const running = (uid: string, rv = "1") => jobPod(uid, rv, "Running", { started: "2026-01-01T00:00:05Z" });

describe("JobRecorder.reconcile follows its targets", () => {
  it("opens a watch per new target once, and closes the watch of a target that went", async () => {
    const { registry } = fakeCluster();
    let targets = [{ connectionId: "c1", namespace: "a" }];
    const jobRecorder = new recorder.JobRecorder({
      registry,
      targets: async () => targets,
      record: async () => true,
      openPods: new MemoryOpenPods(),
    });
    await jobRecorder.reconcile();
    await jobRecorder.reconcile();
    // The same target twice: still one watch, made once.
    expect(registry.stats()).toMatchObject({ active: 1, created: 1 });
    expect(jobRecorder.targets()).toEqual([JSON.stringify(["c1", "a"])]);

    // The connection now wants "b" only (a profile changed, a connection was removed).
    targets = [{ connectionId: "c1", namespace: "b" }];
    await jobRecorder.reconcile();
    expect(jobRecorder.targets()).toEqual([JSON.stringify(["c1", "b"])]);
    expect(registry.stats()).toMatchObject({ active: 1, created: 2 });
    jobRecorder.stop();
    expect(registry.stats().active).toBe(0);
  });

  it("a call during a run gets one more run after it, and the watches are held once", async () => {
    const { registry } = fakeCluster();
    let calls = 0;
    const jobRecorder = new recorder.JobRecorder({
      registry,
      targets: async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return [{ connectionId: "c1", namespace: "a" }];
      },
      record: async () => true,
      openPods: new MemoryOpenPods(),
    });
    const first = jobRecorder.reconcile();
    const second = jobRecorder.reconcile();
    const third = jobRecorder.reconcile();
    await Promise.all([first, second, third]);
    // The first run, and one rerun shared by the two calls made during it.
    expect(calls).toBe(2);
    expect(registry.stats()).toMatchObject({ active: 1, created: 1 });
    jobRecorder.stop();
    // Had two runs overlapped, a second lease would keep the watch open after stop.
    expect(registry.stats().active).toBe(0);
  });

  it("a target list that cannot be read is logged and changes nothing", async () => {
    const { registry } = fakeCluster();
    const logged: string[] = [];
    let fail = false;
    const jobRecorder = new recorder.JobRecorder({
      registry,
      targets: async () => {
        if (fail) throw new Error("database is locked");
        return [{ connectionId: "c1", namespace: "a" }];
      },
      record: async () => true,
      openPods: new MemoryOpenPods(),
      onError: (message) => logged.push(message),
    });
    await jobRecorder.reconcile();
    fail = true;
    await jobRecorder.reconcile();
    expect(logged).toEqual(["job recorder: cannot list connections: database is locked"]);
    expect(jobRecorder.targets()).toEqual([JSON.stringify(["c1", "a"])]);
    jobRecorder.stop();
  });
});

describe("JobRecorder remembers running job pods for a restart", () => {
  it("writes a job pod's copy when the state its end is classified from changes, not on every update", async () => {
    const { registry, source } = fakeCluster();
    const openPods = new MemoryOpenPods();
    const jobRecorder = new recorder.JobRecorder({
      registry,
      targets: async () => [{ connectionId: "c1", namespace: "a" }],
      record: async () => true,
      openPods,
    });
    const pending = jobPod("p1", "1", "Pending");
    source("a").items = [pending, { ...pending, metadata: { ...pending.metadata, uid: "other", labels: {} } }];
    await jobRecorder.reconcile();
    await vi.waitFor(() => expect(source("a").watching).toBe(true));
    // Listed: the job pod is remembered, the pod that is not a job pod is not.
    expect(openPods.remembered.map((p) => p.metadata?.uid)).toEqual(["p1"]);

    const states: Pod[] = [];
    const next = (change: (pod: Pod) => void) => {
      const pod = structuredClone(states.at(-1) ?? pending);
      pod.metadata!.resourceVersion = String(Number(pod.metadata!.resourceVersion) + 1);
      change(pod);
      states.push(pod);
      source("a").push("MODIFIED", pod);
    };
    // Only the resourceVersion (a label, an annotation): nothing to rewrite.
    next(() => undefined);
    next((pod) => (pod.metadata!.annotations = { ...pod.metadata!.annotations, note: "x" }));
    await vi.waitFor(() => expect(source("a").items).toBeDefined());
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(openPods.remembered).toHaveLength(1);

    // Each of these is state its end is classified from: one write each.
    next((pod) => {
      pod.status!.initContainerStatuses = [
        { name: "init-permissions", image: "x", imageID: "", ready: false, restartCount: 0, state: { waiting: {} } },
      ];
    });
    next((pod) => {
      pod.status!.initContainerStatuses![0].state = { running: { startedAt: "2026-01-01T00:00:02Z" } };
    });
    next((pod) => (pod.status!.phase = "Running"));
    next((pod) => {
      pod.status!.containerStatuses = [
        { name: "build", image: "alpine", imageID: "", ready: true, restartCount: 0, state: { waiting: {} } },
      ];
    });
    next((pod) => {
      pod.status!.containerStatuses![0].state = { running: { startedAt: "2026-01-01T00:00:05Z" } };
    });
    next((pod) => (pod.status!.reason = "Evicting"));
    // Being deleted (its grace period running): what it ends as depends on it.
    next((pod) => (pod.metadata!.deletionTimestamp = "2026-01-01T00:05:00Z"));
    await vi.waitFor(() => expect(openPods.remembered).toHaveLength(8));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(openPods.remembered.map((p) => p.metadata?.resourceVersion)).toEqual([
      "1",
      "4",
      "5",
      "6",
      "7",
      "8",
      "9",
      "10",
    ]);
    expect(openPods.remembered.at(-1)?.status?.reason).toBe("Evicting");
    expect(openPods.remembered.at(-1)?.metadata?.deletionTimestamp).toBe("2026-01-01T00:05:00Z");
    jobRecorder.stop();
  });
});

describe("JobRecorder.drain", () => {
  it("resolves only once every write already started has finished", async () => {
    const { registry, source } = fakeCluster();
    let finish: () => void = () => undefined;
    const written: string[] = [];
    const jobRecorder = new recorder.JobRecorder({
      registry,
      targets: async () => [{ connectionId: "c1", namespace: "a" }],
      record: (pod) =>
        new Promise<boolean>((resolve) => {
          finish = () => {
            written.push(pod.metadata!.uid!);
            resolve(true);
          };
        }),
      openPods: new MemoryOpenPods(),
    });
    source("a").items = [
      jobPod("done", "1", "Succeeded", { started: "2026-01-01T00:00:05Z", finished: "2026-01-01T00:01:00Z" }),
    ];
    await jobRecorder.reconcile();
    await vi.waitFor(() => expect(source("a").watching).toBe(true));
    let drained = false;
    const draining = jobRecorder.drain().then(() => (drained = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(drained).toBe(false);
    finish();
    await draining;
    expect(written).toEqual(["done"]);
    jobRecorder.stop();
  });
});

describe("JobRecorder.liveJobPods", () => {
  it("is null while any of the connection's watches is not live, and gives job pods only", async () => {
    const { registry, source } = fakeCluster();
    source("b").listError = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    source("a").items = [
      running("job-a"),
      { ...running("plain"), metadata: { ...running("plain").metadata, labels: {} } },
      { ...running("no-uid"), metadata: { ...running("no-uid").metadata, uid: undefined } },
    ];
    const logged: string[] = [];
    let targets = [
      { connectionId: "c1", namespace: "a" },
      { connectionId: "c1", namespace: "b" },
    ];
    const jobRecorder = new recorder.JobRecorder({
      registry,
      targets: async () => targets,
      record: async () => true,
      openPods: new MemoryOpenPods(),
      onError: (message) => logged.push(message),
    });
    await jobRecorder.reconcile();
    await vi.waitFor(() => expect(source("a").watching).toBe(true));
    // A watch's status changes (b failing) are not pods: nothing for the recorder to say.
    expect(logged).toEqual([]);
    // "a" is live, "b" cannot list: the connection's picture is not whole.
    expect(jobRecorder.liveJobPods("c1")).toBeNull();
    targets = [{ connectionId: "c1", namespace: "a" }];
    await jobRecorder.reconcile();
    expect(jobRecorder.liveJobPods("c1")?.map((pod) => pod.metadata?.uid)).toEqual(["job-a"]);
    jobRecorder.stop();
  });
});

describe("monitoredNamespaces", () => {
  it("takes a profile's namespace only when it is a non-empty string", async () => {
    const connection = await db.connection.create({
      data: { name: "odd-profiles", server: "https://127.0.0.1:1", authType: "token", credentials: "{}" },
    });
    for (const [name, settings] of [
      ["number", { cluster: { namespace: 7 } }],
      ["empty", { cluster: { namespace: "" } }],
      ["no-cluster", {}],
      ["null-cluster", { cluster: null }],
      ["good", { cluster: { namespace: "ci-b" } }],
    ] as const) {
      await db.runnerProfile.create({
        data: { name, connectionId: connection.id, settings: JSON.stringify(settings) },
      });
    }
    expect(await recorder.monitoredNamespaces(connection.id)).toEqual(["ci-b", "gitlab-runner"]);
  });
});

describe("stoppedAtFromApi", () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function eventsServer(items: unknown[]): Promise<{ kc: KubeConfig; urls: string[] }> {
    const urls: string[] = [];
    const server = http.createServer((request, response) => {
      urls.push(request.url ?? "");
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ items }));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        { name: "c", server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
      ],
      users: [{ name: "u", token: "t0ken" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    return { kc, urls };
  }

  const killing = (at: string) => ({ reason: "Killing", lastTimestamp: at });

  it("asks for the events about the pod's uid in its namespace and gives the latest Killing", async () => {
    const { kc, urls } = await eventsServer([killing("2026-01-01T00:02:00Z"), killing("2026-01-01T00:03:00Z")]);
    const pod = jobPod("0f3c-uid-1", "1", "Running");
    expect(await recorder.stoppedAtFromApi(kc, pod)).toEqual(new Date("2026-01-01T00:03:00Z"));
    expect(urls).toHaveLength(1);
    const url = new URL(urls[0], "http://x");
    expect(url.pathname).toBe("/api/v1/namespaces/gitlab-runner/events");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      fieldSelector: "involvedObject.uid=0f3c-uid-1",
      limit: "200",
    });
  });

  it("puts nothing from the cluster into the query that is not a uid and a namespace name", async () => {
    const { kc, urls } = await eventsServer([killing("2026-01-01T00:03:00Z")]);
    const withMeta = (metadata: Partial<NonNullable<Pod["metadata"]>>): Pod => {
      const pod = jobPod("ok-uid", "1", "Running");
      return { ...pod, metadata: { ...pod.metadata, ...metadata } };
    };
    for (const pod of [
      withMeta({ uid: "a,involvedObject.kind=Node" }),
      withMeta({ uid: "" }),
      withMeta({ uid: undefined }),
      withMeta({ uid: "x".repeat(65) }),
      withMeta({ uid: "ok-uid\n" }),
      withMeta({ namespace: "../../nodes" }),
      withMeta({ namespace: "Upper" }),
      withMeta({ namespace: "-lead" }),
      withMeta({ namespace: "trail-" }),
      withMeta({ namespace: "n".repeat(64) }),
      withMeta({ namespace: "" }),
      withMeta({ namespace: undefined }),
      { ...jobPod("ok-uid", "1", "Running"), metadata: undefined },
    ]) {
      expect(await recorder.stoppedAtFromApi(kc, pod)).toBeNull();
    }
    expect(urls).toEqual([]);
    // The longest of each still goes through.
    expect(await recorder.stoppedAtFromApi(kc, withMeta({ uid: "u".repeat(64), namespace: "n".repeat(63) }))).toEqual(
      new Date("2026-01-01T00:03:00Z"),
    );
    expect(await recorder.stoppedAtFromApi(kc, withMeta({ uid: "U", namespace: "a" }))).not.toBeNull();
    expect(urls).toHaveLength(2);
  });
});

describe("JobRecorder.start and stop", () => {
  it("reconciles at once and then every interval, once however often started, and not after stop", async () => {
    const { registry } = fakeCluster();
    let calls = 0;
    const jobRecorder = new recorder.JobRecorder({
      registry,
      targets: async () => {
        calls++;
        return [];
      },
      openPods: new MemoryOpenPods(),
    });
    jobRecorder.start(25);
    jobRecorder.start(25);
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(3), { timeout: 2000 });
    jobRecorder.stop();
    const stoppedAt = calls;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(calls).toBe(stoppedAt);
    // Started twice within 25 ms of each run: about one call per interval, not two.
    jobRecorder.start(1000);
    await vi.waitFor(() => expect(calls).toBe(stoppedAt + 1));
    jobRecorder.stop();
  });
});

describe("JobRecorder reports what it could not write", () => {
  it("logs a failed record and a failed flush of the remembered pods", async () => {
    const { registry, source } = fakeCluster();
    const logged: string[] = [];
    const openPods = new MemoryOpenPods();
    const jobRecorder = new recorder.JobRecorder({
      registry,
      targets: async () => [{ connectionId: "c1", namespace: "a" }],
      record: async () => {
        throw new Error("disk full");
      },
      openPods,
      onError: (message) => logged.push(message),
    });
    source("a").items = [
      jobPod("done", "1", "Succeeded", { started: "2026-01-01T00:00:05Z", finished: "2026-01-01T00:01:00Z" }),
    ];
    await jobRecorder.reconcile();
    openPods.flushError = new Error("database is locked");
    await jobRecorder.drain();
    expect(logged).toEqual(["job recorder: disk full", "job recorder: database is locked"]);
    jobRecorder.stop();
  });
});

describe("JobRecorder ends of job pods", () => {
  it("records an observed deletion when it was seen, without asking the cluster's events", async () => {
    const { registry, source } = fakeCluster();
    const ends: Array<[string, string]> = [];
    let asked = 0;
    const seen = new Date("2026-01-01T00:10:00Z");
    const jobRecorder = new recorder.JobRecorder({
      registry,
      targets: async () => [{ connectionId: "c1", namespace: "a" }],
      record: async (pod, end) => {
        ends.push([pod.metadata!.uid!, end.endedAt.toISOString()]);
        return true;
      },
      openPods: new MemoryOpenPods(),
      stoppedAt: async () => {
        asked++;
        return new Date("2026-01-01T00:02:00Z");
      },
      now: () => seen,
    });
    source("a").items = [running("r1")];
    await jobRecorder.reconcile();
    await vi.waitFor(() => expect(source("a").watching).toBe(true));
    source("a").push("DELETED", running("r1", "2"));
    await vi.waitFor(() => expect(ends).toHaveLength(1));
    expect(ends).toEqual([["r1", seen.toISOString()]]);
    expect(asked).toBe(0);
    jobRecorder.stop();
  });

  it("on a cache a viewer has listed already, resumes at once: a remembered pod gone meanwhile is recorded", async () => {
    const { registry, source } = fakeCluster();
    const recorded: string[] = [];
    const openPods = new MemoryOpenPods();
    openPods.open = [running("gone-meanwhile")];
    source("a").items = [running("still-here")];
    const viewer = registry.acquireCache({ connectionId: "c1", namespace: "a" });
    await vi.waitFor(() => expect(viewer.value.hasSynced).toBe(true));
    const jobRecorder = new recorder.JobRecorder({
      registry,
      targets: async () => [{ connectionId: "c1", namespace: "a" }],
      record: async (pod) => {
        recorded.push(pod.metadata!.uid!);
        return true;
      },
      openPods,
      stoppedAt: async () => null,
    });
    await jobRecorder.reconcile();
    await jobRecorder.drain();
    expect(recorded).toEqual(["gone-meanwhile"]);
    jobRecorder.stop();
    viewer.release();
  });

  it("retries an unobserved end whose write failed at the next resume (a relist after 410)", async () => {
    const { registry, source } = fakeCluster();
    const recorded: string[] = [];
    const logged: string[] = [];
    let attempts = 0;
    const openPods = new MemoryOpenPods();
    openPods.open = [running("gone-meanwhile")];
    const jobRecorder = new recorder.JobRecorder({
      registry,
      targets: async () => [{ connectionId: "c1", namespace: "a" }],
      record: async (pod) => {
        attempts++;
        if (attempts === 1) throw new Error("database is locked");
        recorded.push(pod.metadata!.uid!);
        return true;
      },
      openPods,
      stoppedAt: async () => null,
      onError: (message) => logged.push(message),
    });
    await jobRecorder.reconcile();
    await vi.waitFor(() => expect(source("a").watching).toBe(true));
    await vi.waitFor(() => expect(attempts).toBe(1));
    await jobRecorder.drain();
    expect(logged).toEqual(["job recorder: database is locked"]);
    expect(recorded).toEqual([]);
    expect(openPods.forgotten).toEqual([]);

    // The watch expires: the cache relists, and the resume after it finds the pod still remembered.
    source("a").close({ statusCode: 410 });
    await vi.waitFor(() => expect(recorded).toEqual(["gone-meanwhile"]));
    await jobRecorder.drain();
    expect(attempts).toBe(2);
    expect(openPods.forgotten).toEqual(["gone-meanwhile"]);
    jobRecorder.stop();
  });

  it("does not take a remembered pod for gone before its cache has listed", async () => {
    const { registry, source } = fakeCluster();
    const recorded: string[] = [];
    const openPods = new MemoryOpenPods();
    openPods.open = [running("still-here")];
    source("a").listError = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const jobRecorder = new recorder.JobRecorder({
      registry,
      targets: async () => [{ connectionId: "c1", namespace: "a" }],
      record: async (pod) => {
        recorded.push(pod.metadata!.uid!);
        return true;
      },
      openPods,
      stoppedAt: async () => null,
    });
    await jobRecorder.reconcile();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await jobRecorder.drain();
    expect(recorded).toEqual([]);
    jobRecorder.stop();
  });
});

describe("recordJobEnd's refusals", () => {
  it("records nothing for a pod without a uid, and reports a database failure instead of taking it for a duplicate", async () => {
    const { finishedJobEnd } = await import("@/lib/job-history/record");
    const connection = await db.connection.create({
      data: { name: "refusals", server: "https://127.0.0.1:1", authType: "token", credentials: "{}" },
    });
    const end = finishedJobEnd(new Date("2026-01-01T00:01:00Z"));
    const pod = jobPod("refused-1", "1", "Succeeded", { finished: "2026-01-01T00:01:00Z" });
    expect(
      await recorder.recordJobEnd({ ...pod, metadata: { ...pod.metadata, uid: undefined } }, end, connection.id),
    ).toBe(false);
    expect(await db.jobRecord.count({ where: { connectionId: connection.id } })).toBe(0);

    const create = vi
      .spyOn(db.jobRecord, "create")
      .mockRejectedValueOnce(
        Object.assign(new Error("SQLITE_FULL: INSERT INTO JobRecord VALUES (...)"), { code: "P1008" }),
      );
    try {
      await expect(recorder.recordJobEnd(pod, end, connection.id)).rejects.toThrow(
        "job pod gitlab-runner/runner-abc-project-7-concurrent-0-refused-1 not recorded: database error P1008",
      );
    } finally {
      create.mockRestore();
    }
    expect(await recorder.recordJobEnd(pod, end, connection.id)).toBe(true);
  });
});
