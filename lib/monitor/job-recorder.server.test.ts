import { beforeAll, describe, expect, it, vi } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import type { Pod } from "@/lib/kube/pod";
import { jobEndOf } from "@/lib/job-history/record";

/** The end the recorder is given for a finished pod (the lifecycle classifier's). */
const endOf = (pod: Pod) => jobEndOf(pod, false, new Date())!;
import { jobPod } from "./testing/pods";
import { FakeSource } from "./testing/fake-source";

let recorder: typeof import("./job-recorder.server");
let streams: typeof import("./streams.server");
let db: typeof import("@/lib/db.server").db;
let connectionId: string;

beforeAll(async () => {
  useFreshDatabase();
  recorder = await import("./job-recorder.server");
  streams = await import("./streams.server");
  db = (await import("@/lib/db.server")).db;
  const connection = await db.connection.create({
    data: { name: "demo", server: "https://127.0.0.1:1", authType: "token", credentials: "{}" },
  });
  connectionId = connection.id;
});

const finished = (uid: string) =>
  jobPod(uid, "5", "Succeeded", {
    created: "2026-01-01T00:00:00Z",
    started: "2026-01-01T00:00:05Z",
    finished: "2026-01-01T00:01:05Z",
  });

describe("recordJobEnd", () => {
  it("writes one row per pod uid however often and however concurrently it is called", async () => {
    const pod = finished("uid-1");
    const end = jobEndOf(pod, false, new Date())!;
    const results = await Promise.all(Array.from({ length: 8 }, () => recorder.recordJobEnd(pod, end, connectionId)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await recorder.recordJobEnd(pod, end, connectionId)).toBe(false);
    // A later observation of the same pod (its deletion) does not overwrite the first record.
    const deleted = { ...pod, status: { ...pod.status, reason: "Evicted" } };
    expect(await recorder.recordJobEnd(deleted, jobEndOf(deleted, true, new Date())!, connectionId)).toBe(false);
    const rows = await db.jobRecord.findMany({ where: { podUid: "uid-1" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      phase: "Finished",
      billedSeconds: 60,
      jobId: "42",
      day: "2026-01-01",
      currency: "CNY",
    });
  });
});

describe("recordJobEnd prices each connection with its own book", () => {
  /** The same one-minute job pod, without ECI's annotation, optionally labelled for ACS. */
  const unannotated = (uid: string, labels: Record<string, string> = {}): Pod => {
    const pod = finished(uid);
    const annotations = { ...pod.metadata!.annotations! };
    delete annotations["k8s.aliyun.com/eci-instance-spec"];
    return {
      ...pod,
      metadata: { ...pod.metadata, labels: { ...pod.metadata!.labels, ...labels }, annotations },
      spec: {
        containers: [{ name: "build", image: "alpine", resources: { limits: { cpu: "2", memory: "4Gi" } } }],
      },
    };
  };
  const connectionWith = async (
    name: string,
    data: { priceSite?: string; priceRegion?: string; defaultBackend?: string },
  ) =>
    (
      await db.connection.create({
        data: { name, server: "https://127.0.0.1:1", authType: "token", credentials: "{}", ...data },
      })
    ).id;

  it("an ACS pod at ACS's price, with its class and QoS stored", async () => {
    await recorder.recordJobEnd(
      unannotated("acs-1", { "alibabacloud.com/acs": "true", "alibabacloud.com/compute-qos": "best-effort" }),
      endOf(unannotated("acs-1", { "alibabacloud.com/acs": "true", "alibabacloud.com/compute-qos": "best-effort" })),
      connectionId,
    );
    expect(await db.jobRecord.findUnique({ where: { podUid: "acs-1" } })).toMatchObject({
      backend: "acs",
      computeClass: "general-purpose",
      qos: "best-effort",
      currency: "CNY",
      vcpuMilli: 2000,
      memoryMiB: 4096,
      costMicros: 797n, // (2 × 0.0000033 + 4 × 0.00000167) CNY/s × 60 s = 0.0007968, no minimum charge on ACS
    });
  });

  it("an international-site connection records in USD; an ACS cluster's unlabelled pods are ACS pods", async () => {
    const intl = await connectionWith("intl-sg", { priceSite: "intl", priceRegion: "ap-southeast-1" });
    await recorder.recordJobEnd(unannotated("intl-1"), endOf(unannotated("intl-1")), intl);
    expect(await db.jobRecord.findUnique({ where: { podUid: "intl-1" } })).toMatchObject({
      backend: "eci",
      currency: "USD",
      costMicros: 1154n, // (2 × 0.0000077 + 4 × 0.00000096) USD/s × 60 s = 0.0011544, no minimum charge abroad
    });
    const acsCluster = await connectionWith("acs-cluster", { defaultBackend: "acs" });
    await recorder.recordJobEnd(unannotated("acs-default-1"), endOf(unannotated("acs-default-1")), acsCluster);
    expect(await db.jobRecord.findUnique({ where: { podUid: "acs-default-1" } })).toMatchObject({
      backend: "acs",
      computeClass: "general-purpose",
      qos: "default",
      currency: "CNY",
      costMicros: 4003n, // (2 × 0.0000167 + 4 × 0.00000833) CNY/s × 60 s = 0.0040032
    });
  });
});

describe("a connection deleted while its watch still runs", () => {
  it("records nothing and logs no database error", async () => {
    const doomed = await db.connection.create({
      data: { name: "doomed", server: "https://127.0.0.1:1", authType: "token", credentials: "{}" },
    });
    await db.connection.delete({ where: { id: doomed.id } });
    expect(await recorder.recordJobEnd(finished("after-delete"), endOf(finished("after-delete")), doomed.id)).toBe(
      false,
    );

    vi.useFakeTimers({ toFake: ["setTimeout", "setInterval", "clearTimeout", "clearInterval"] });
    try {
      const source = new FakeSource<Pod>();
      source.items = [finished("after-delete-2")];
      const registry = new streams.PodStreamRegistry({
        configFor: () => Promise.reject(new Error("no cluster in this test")),
        sourceFor: () => source,
        priceBook: async () => DEFAULT_PRICE_BOOKS.cn,
      });
      const logged: string[] = [];
      const jobRecorder = new recorder.JobRecorder({
        registry,
        targets: async () => [{ connectionId: doomed.id, namespace: "ci" }],
        onError: (message) => logged.push(message),
      });
      await jobRecorder.reconcile();
      await vi.advanceTimersByTimeAsync(0);
      await vi.waitFor(async () => expect(await db.jobRecord.count({ where: { podUid: "after-delete-2" } })).toBe(0));
      await new Promise((resolve) => setImmediate(resolve));
      await vi.advanceTimersByTimeAsync(100);
      jobRecorder.stop();
      expect(logged).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("JobRecorder", () => {
  it("records job pods that end on a watched connection, including ones that ended before it started", async () => {
    // On PostgreSQL, node-postgres times each new connection with setTimeout: open the pool's
    // connections while timers are real, or the faked clock would time out a connect in progress.
    await Promise.all(Array.from({ length: 4 }, () => db.$queryRaw`SELECT 1`));
    // A vanished pod is billed until now: start it a minute ago, not on a fixed date, so the record
    // does not grow with the day the test runs.
    const started = new Date(Date.now() - 60_000).toISOString();
    vi.useFakeTimers({ toFake: ["setTimeout", "setInterval", "clearTimeout", "clearInterval"] });
    try {
      const source = new FakeSource<Pod>();
      source.items = [finished("before-start"), jobPod("running", "1", "Running", { started })];
      const registry = new streams.PodStreamRegistry({
        configFor: () => Promise.reject(new Error("no cluster in this test")),
        sourceFor: () => source,
        priceBook: async () => DEFAULT_PRICE_BOOKS.cn,
      });
      const lease = await registry.acquire({ connectionId, namespace: "ci" });
      await vi.advanceTimersByTimeAsync(0);

      const jobRecorder = new recorder.JobRecorder({
        registry,
        targets: async () => [{ connectionId, namespace: "ci" }],
      });
      await jobRecorder.reconcile();
      expect(registry.stats().active).toBe(1);
      // The runner deletes its job pods while they run: a finished job.
      source.push("DELETED", jobPod("running", "2", "Running", { started }));
      await vi.advanceTimersByTimeAsync(0);
      await vi.waitFor(async () =>
        expect(await db.jobRecord.count({ where: { podUid: { in: ["before-start", "running"] } } })).toBe(2),
      );
      expect((await db.jobRecord.findUnique({ where: { podUid: "running" } }))?.phase).toBe("Finished");

      jobRecorder.stop();
      lease.release();
      expect(registry.stats().active).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("JobRecorder.liveJobPods", () => {
  it("gives the connection's job pods not yet ended only while its watch is live, never a stale copy", async () => {
    await Promise.all(Array.from({ length: 4 }, () => db.$queryRaw`SELECT 1`));
    vi.useFakeTimers({ toFake: ["setTimeout", "setInterval", "clearTimeout", "clearInterval"] });
    try {
      const source = new FakeSource<Pod>();
      // The cluster does not answer yet (the dashboard has just started, the API server is away).
      source.listError = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      source.items = [
        jobPod("pending", "1", "Pending"),
        jobPod("running", "1", "Running", { started: "2026-01-01T00:00:05Z" }),
        finished("done"),
      ];
      const registry = new streams.PodStreamRegistry({
        configFor: () => Promise.reject(new Error("no cluster in this test")),
        sourceFor: () => source,
        priceBook: async () => DEFAULT_PRICE_BOOKS.cn,
      });
      const jobRecorder = new recorder.JobRecorder({
        registry,
        targets: async () => [{ connectionId, namespace: "live-ci" }],
        record: async () => true,
      });
      expect(jobRecorder.liveJobPods(connectionId)).toBeNull();
      await jobRecorder.reconcile();
      await vi.advanceTimersByTimeAsync(0);
      expect(jobRecorder.liveJobPods(connectionId)).toBeNull();

      source.listError = null;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(
        jobRecorder
          .liveJobPods(connectionId)
          ?.map((pod) => pod.metadata?.uid)
          .sort(),
      ).toEqual(["pending", "running"]);
      expect(jobRecorder.liveJobPods("another-connection")).toBeNull();

      // The watch breaks and the cluster stops answering: what the cache holds is stale now.
      source.listError = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      source.close(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
      await vi.advanceTimersByTimeAsync(0);
      expect(jobRecorder.liveJobPods(connectionId)).toBeNull();
      jobRecorder.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("where the recorder watches", () => {
  it("every namespace when the credentials allow it, even with a draft profile naming one namespace", async () => {
    const other = await db.connection.create({
      data: { name: "scoped", server: "https://127.0.0.1:1", authType: "token", credentials: "{}" },
    });
    await db.runnerProfile.create({
      data: { name: "draft", connectionId: other.id, settings: JSON.stringify({ cluster: { namespace: "ci-a" } }) },
    });
    expect(await recorder.recorderNamespaces(other.id, "allowed")).toEqual(["*"]);
    expect(await recorder.recorderNamespaces(other.id, "unknown")).toEqual(["*"]);
    // Without cluster-wide rights: the profiles' namespaces and still the default one.
    expect(await recorder.recorderNamespaces(other.id, "denied")).toEqual(["ci-a", "gitlab-runner"]);
  });

  it("the fallback keeps gitlab-runner beside the profiles' namespaces; an unparsable draft adds nothing", async () => {
    const other = await db.connection.create({
      data: { name: "fallback", server: "https://127.0.0.1:1", authType: "token", credentials: "{}" },
    });
    expect(await recorder.monitoredNamespaces(other.id)).toEqual(["gitlab-runner"]);
    await db.runnerProfile.create({
      data: { name: "p1", connectionId: other.id, settings: JSON.stringify({ cluster: { namespace: "ci-a" } }) },
    });
    await db.runnerProfile.create({ data: { name: "p2", connectionId: other.id, settings: "not json" } });
    expect(await recorder.monitoredNamespaces(other.id)).toEqual(["ci-a", "gitlab-runner"]);
  });

  it("records the jobs of a runner no profile knows about once a draft profile exists", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "setInterval", "clearTimeout", "clearInterval"] });
    try {
      const other = await db.connection.create({
        data: { name: "helm", server: "https://127.0.0.1:1", authType: "token", credentials: "{}" },
      });
      await db.runnerProfile.create({
        data: { name: "draft-2", connectionId: other.id, settings: JSON.stringify({ cluster: { namespace: "ci" } }) },
      });
      // The cluster: a job of a Helm-installed runner in "builds", which no profile names.
      const everywhere = new FakeSource<Pod>();
      everywhere.items = [
        { ...finished("helm-job"), metadata: { ...finished("helm-job").metadata, namespace: "builds" } },
      ];
      const registry = new streams.PodStreamRegistry({
        configFor: () => Promise.reject(new Error("no cluster in this test")),
        sourceFor: (target) => (target.namespace === "*" ? everywhere : new FakeSource<Pod>()),
        priceBook: async () => DEFAULT_PRICE_BOOKS.cn,
      });
      const jobRecorder = new recorder.JobRecorder({
        registry,
        targets: async () =>
          (await recorder.recorderNamespaces(other.id, "allowed")).map((namespace) => ({
            connectionId: other.id,
            namespace,
          })),
      });
      await jobRecorder.reconcile();
      await vi.advanceTimersByTimeAsync(0);
      await vi.waitFor(async () =>
        expect(await db.jobRecord.findUnique({ where: { podUid: "helm-job" } })).toMatchObject({
          namespace: "builds",
          connectionId: other.id,
        }),
      );
      jobRecorder.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
