import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACS_ANNOTATIONS, ACS_LABELS } from "@ask-ci/billing/acs/labels";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import {
  JOB_ANNOTATIONS,
  JOB_POD_LABEL,
  PROJECT_ID_LABEL,
  PROJECT_NAME_LABEL,
  PROJECT_NAMESPACE_LABEL,
  RUNNER_NAME_LABEL,
  type Pod,
} from "@/lib/kube/pod";
import { podFromApi } from "@/lib/kube/pod-input";
import { jobRecordData, storableJobRecord, type JobEnd, type JobRecordData } from "@/lib/job-history/record";
import { useFreshDatabase } from "@/tests/test-db";
import { toPodDetail } from "./pod-detail";
import { FakeSource } from "./testing/fake-source";
import type { PodStream } from "./pod-stream";

// Cluster data is untrusted: no single pod may break the watch, the stream or the job recorder.
// Every field the dashboard reads gets every hostile value below, through the list and through the
// watch, with well-behaved pods beside them that must still show and be recorded.

const HOSTILE: unknown[] = [
  "https://gitlab.example/grp%E0%A4%A/-/jobs/1",
  "%E0%A4%A",
  "\u0000",
  "a\uD800b",
  "\uDC00",
  "\u202Etxt.exe",
  "x".repeat(100_000),
  "javascript:alert(1)",
  "<img src=x onerror=alert(1)>",
  '=HYPERLINK("http://evil.example","x")',
  "not-a-date",
  "9999-99-99T99:99:99Z",
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00.000Z",
  "-1",
  "1e400",
  "0x1F",
  "NaN",
  "99999999999999999999Gi",
  "-5Gi",
  "",
  42,
  -1,
  1e308,
  JSON.parse("1e999"),
  null,
  true,
  {},
  [],
  ["a"],
  JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}'),
];

const annotationPaths = [
  ...Object.values(JOB_ANNOTATIONS),
  ...Object.values(ECI_ANNOTATIONS),
  ...Object.values(ACS_ANNOTATIONS),
].map((key) => ["metadata", "annotations", key]);
const labelPaths = [
  JOB_POD_LABEL,
  RUNNER_NAME_LABEL,
  PROJECT_ID_LABEL,
  PROJECT_NAME_LABEL,
  PROJECT_NAMESPACE_LABEL,
  ...Object.values(ACS_LABELS),
].map((key) => ["metadata", "labels", key]);
const containerPaths = (base: string[]) => [
  base,
  [...base, "0"],
  [...base, "0", "name"],
  [...base, "0", "resources"],
  [...base, "0", "resources", "requests"],
  [...base, "0", "resources", "requests", "cpu"],
  [...base, "0", "resources", "requests", "memory"],
  [...base, "0", "resources", "limits", "cpu"],
  [...base, "0", "resources", "limits", "memory"],
  [...base, "0", "env"],
  [...base, "0", "env", "0"],
  [...base, "0", "env", "0", "name"],
];
const statusPaths = (base: string[]) => [
  base,
  [...base, "0"],
  [...base, "0", "name"],
  [...base, "0", "restartCount"],
  [...base, "0", "state"],
  [...base, "0", "state", "terminated"],
  [...base, "0", "state", "terminated", "finishedAt"],
  [...base, "0", "state", "terminated", "startedAt"],
  [...base, "0", "state", "terminated", "reason"],
  [...base, "0", "state", "terminated", "exitCode"],
  [...base, "0", "state", "waiting"],
  [...base, "0", "state", "waiting", "reason"],
  [...base, "0", "lastState"],
];

/** Every field of a pod the dashboard reads (lib/kube, lib/cost, @ask-ci/billing, lib/monitor). */
const FIELDS: string[][] = [
  [],
  ["metadata"],
  ["metadata", "uid"],
  ["metadata", "name"],
  ["metadata", "namespace"],
  ["metadata", "resourceVersion"],
  ["metadata", "creationTimestamp"],
  ["metadata", "deletionTimestamp"],
  ["metadata", "labels"],
  ["metadata", "annotations"],
  ["metadata", "managedFields"],
  ["metadata", "ownerReferences"],
  ...labelPaths,
  ...annotationPaths,
  ["spec"],
  ["spec", "nodeName"],
  ["spec", "overhead"],
  ...containerPaths(["spec", "containers"]),
  ...containerPaths(["spec", "initContainers"]),
  ["spec", "volumes"],
  ["status"],
  ["status", "phase"],
  ["status", "reason"],
  ["status", "message"],
  ["status", "startTime"],
  ["status", "podIP"],
  ["status", "qosClass"],
  ["status", "conditions"],
  ["status", "conditions", "0"],
  ["status", "conditions", "0", "type"],
  ["status", "conditions", "0", "status"],
  ["status", "conditions", "0", "reason"],
  ["status", "conditions", "0", "lastTransitionTime"],
  ...statusPaths(["status", "containerStatuses"]),
  ...statusPaths(["status", "initContainerStatuses"]),
];

/** A finished GitLab job pod with every field above present and well-formed. */
function goodPod(uid: string): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      uid,
      name: `runner-abc-project-7-concurrent-0-${uid}`,
      namespace: "gitlab-runner",
      resourceVersion: "5",
      creationTimestamp: "2026-01-01T00:00:00Z",
      labels: {
        [JOB_POD_LABEL]: "runner-abc-project-7-concurrent-0",
        [RUNNER_NAME_LABEL]: "ask-runner",
        [PROJECT_ID_LABEL]: "7",
        [PROJECT_NAME_LABEL]: "app",
        [PROJECT_NAMESPACE_LABEL]: "group",
      },
      annotations: {
        [JOB_ANNOTATIONS.id]: "42",
        [JOB_ANNOTATIONS.url]: "https://gitlab.example.com/group/app/-/jobs/42",
        [JOB_ANNOTATIONS.ref]: "main",
        [JOB_ANNOTATIONS.name]: "test",
        [JOB_ANNOTATIONS.sha]: "0123456789abcdef",
        // No eci-instance-spec: the billed spec then comes from the containers' resources, which
        // are read too. The annotation itself is among the hostile fields.
      },
      ownerReferences: [],
    },
    spec: {
      nodeName: "virtual-kubelet",
      containers: [
        {
          name: "build",
          image: "alpine",
          env: [{ name: "CI_JOB_ID", value: "42" }],
          resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
        },
        { name: "helper", image: "helper", resources: { requests: { cpu: "250m", memory: "256Mi" } } },
      ],
      initContainers: [{ name: "init-permissions", image: "helper", resources: { requests: { cpu: "100m" } } }],
    },
    status: {
      phase: "Succeeded",
      reason: "Completed",
      startTime: "2026-01-01T00:00:05Z",
      podIP: "10.0.0.1",
      qosClass: "Burstable",
      conditions: [
        { type: "PodScheduled", status: "True", lastTransitionTime: "2026-01-01T00:00:01Z" },
        { type: "Ready", status: "False", reason: "PodCompleted", lastTransitionTime: "2026-01-01T00:01:05Z" },
      ],
      containerStatuses: [
        {
          name: "build",
          image: "alpine",
          imageID: "",
          ready: false,
          restartCount: 0,
          state: {
            terminated: {
              exitCode: 0,
              reason: "Completed",
              startedAt: "2026-01-01T00:00:06Z",
              finishedAt: "2026-01-01T00:01:05Z",
            },
          },
        },
      ],
      initContainerStatuses: [
        {
          name: "init-permissions",
          image: "helper",
          imageID: "",
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: 0, reason: "Completed", finishedAt: "2026-01-01T00:00:06Z" } },
        },
      ],
    },
  };
}

/** The pod with `value` at `path` (created along the way when missing); [] replaces the whole pod. */
function withValue(pod: Pod, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(pod) as unknown as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = /^\d+$/.test(key) ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = structuredClone(value);
  return copy;
}

interface Case {
  field: string;
  value: unknown;
  pod: unknown;
}

const cases = (prefix: string): Case[] =>
  FIELDS.flatMap((path, f) =>
    HOSTILE.map((value, v) => ({
      field: path.join(".") || "(the whole pod)",
      value,
      pod: withValue(goodPod(`${prefix}-${f}-${v}`), path, value),
    })),
  );

/** Fields whose hostile value legitimately makes the pod something other than a finished job pod with a uid. */
const IDENTITY_FIELDS = new Set([
  "(the whole pod)",
  "metadata",
  "metadata.uid",
  "metadata.labels",
  `metadata.labels.${JOB_POD_LABEL}`,
  "status",
  "status.phase",
]);

let db: typeof import("@/lib/db.server").db;
let recorderModule: typeof import("./job-recorder.server");
let streams: typeof import("./streams.server");
let connectionId: string;
const logged: string[] = [];

beforeAll(async () => {
  useFreshDatabase();
  db = (await import("@/lib/db.server")).db;
  recorderModule = await import("./job-recorder.server");
  streams = await import("./streams.server");
  connectionId = (
    await db.connection.create({
      data: { name: "hostile", server: "https://127.0.0.1:1", authType: "token", credentials: "{}" },
    })
  ).id;
  vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
});

afterAll(() => {
  vi.restoreAllMocks();
});

/**
 * The registry, stream and recorder as the server wires them, over a scripted source. `record`
 * replaces the database write for the full matrix (thousands of pods): it runs the same pure steps
 * (jobRecordData, storableJobRecord) and keeps the rows in memory; the database itself is tested
 * with a smaller set below.
 */
async function watched(source: FakeSource<Pod>, record?: (pod: Pod, end: JobEnd) => Promise<boolean>) {
  const registry = new streams.PodStreamRegistry({
    configFor: () => Promise.reject(new Error("no cluster in this test")),
    sourceFor: () => source,
    priceBook: async () => DEFAULT_PRICE_BOOKS.cn,
    stream: { flushMs: 0 },
  });
  const lease = await registry.acquire({ connectionId, namespace: "gitlab-runner" });
  const recorder = new recorderModule.JobRecorder({
    registry,
    targets: async () => [{ connectionId, namespace: "gitlab-runner" }],
    onError: (message) => logged.push(message),
    ...(record ? { record: (pod: Pod, end: JobEnd) => record(pod, end) } : {}),
  });
  await recorder.reconcile();
  return { stream: lease.value as PodStream, recorder, release: () => (recorder.stop(), lease.release()) };
}

/** An in-memory recorder doing what recordJobEnd does before the insert. */
function memoryRecorder() {
  const rows = new Map<string, JobRecordData>();
  const record = async (pod: Pod, end: JobEnd) => {
    const storable = storableJobRecord(jobRecordData(pod, end, connectionId, DEFAULT_PRICE_BOOKS.cn));
    if (!storable.ok) throw new Error(`job pod ${pod.metadata?.name} not recorded: ${storable.problem}`);
    if (rows.has(storable.data.podUid)) return false;
    rows.set(storable.data.podUid, storable.data);
    return true;
  };
  return { rows, record };
}

function notRecorded(batch: Case[], uids: Set<string>): string[] {
  return batch
    .filter((c) => !IDENTITY_FIELDS.has(c.field))
    .filter((c) => !uids.has((c.pod as Pod).metadata!.uid!))
    .map((c) => `${c.field} = ${JSON.stringify(c.value)?.slice(0, 40)}`);
}

function expectStorable(row: Record<string, unknown>) {
  for (const [column, value] of Object.entries(row)) {
    if (typeof value === "string") {
      expect(value, column).not.toMatch(
        /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
      );
      expect(value.length, column).toBeLessThanOrEqual(2048);
    }
    if (typeof value === "number") expect(Number.isSafeInteger(value), `${column} = ${value}`).toBe(true);
    if (value instanceof Date) expect(Number.isNaN(value.getTime()), column).toBe(false);
  }
  expect((row.jobUrl as string | null) ?? "https://").toMatch(/^https?:\/\//);
}

describe("hostile values in every pod field we read", () => {
  it(`finds the fields (${FIELDS.length}) and values (${HOSTILE.length})`, () => {
    expect(FIELDS.length).toBeGreaterThan(80);
  });

  it("through the list: the monitor goes live, shows the good pods, and every job pod is recorded once", async () => {
    const source = new FakeSource<Pod>();
    const batch = cases("list");
    source.items = [goodPod("list-good-1"), ...(batch.map((c) => c.pod) as Pod[]), goodPod("list-good-2")];
    const memory = memoryRecorder();
    const { stream, release } = await watched(source, memory.record);
    try {
      await vi.waitFor(() => expect(stream.status.state).toBe("live"));
      const rows = stream.pods().map((p) => p.uid);
      expect(rows).toEqual(expect.arrayContaining(["list-good-1", "list-good-2"]));
      // Every snapshot the browser gets is valid JSON with well-formed strings.
      expect(JSON.stringify(stream.pods())).not.toMatch(
        /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
      );
      await vi.waitFor(() => expect(notRecorded(batch, new Set(memory.rows.keys()))).toEqual([]));
      expect(memory.rows.has("list-good-1") && memory.rows.has("list-good-2")).toBe(true);
      for (const row of memory.rows.values()) expectStorable(row);
    } finally {
      release();
    }
  }, 60_000);

  it("through the watch: every event is handled, the watch stays open, later pods still show and are recorded", async () => {
    const source = new FakeSource<Pod>();
    const memory = memoryRecorder();
    const { stream, release } = await watched(source, memory.record);
    try {
      await vi.waitFor(() => expect(source.watching).toBe(true));
      const batch = cases("watch");
      for (const c of batch) {
        source.push("ADDED", c.pod);
        source.push("MODIFIED", c.pod);
      }
      for (const junk of [null, "pod", 42, [], { metadata: null }, { metadata: "x" }]) source.push("MODIFIED", junk);
      for (const c of batch) source.push("DELETED", c.pod);
      source.push("ADDED", goodPod("watch-good"));
      expect(source.watching).toBe(true);
      expect(stream.status.state).toBe("live");
      expect(stream.pods().map((p) => p.uid)).toContain("watch-good");
      await vi.waitFor(() => expect(notRecorded(batch, new Set(memory.rows.keys()))).toEqual([]));
      expect(memory.rows.has("watch-good")).toBe(true);
    } finally {
      release();
    }
  }, 60_000);

  it("into the database: the worst text and numbers in every field are stored well-formed, once, beside good pods", async () => {
    const worst = ["grp%E0%A4%A\u0000a\uD800b\u202E<img src=x>=HYPERLINK()" + "x".repeat(5000), JSON.parse("1e999")];
    const batch = FIELDS.flatMap((path, f) =>
      worst.map((value, v) => ({
        field: path.join(".") || "(the whole pod)",
        value,
        pod: withValue(goodPod(`db-${f}-${v}`), path, value),
      })),
    );
    const source = new FakeSource<Pod>();
    source.items = [goodPod("db-good"), ...(batch.map((c) => c.pod) as Pod[])];
    const { stream, release } = await watched(source);
    try {
      await vi.waitFor(() => expect(stream.status.state).toBe("live"));
      const recorded = async () =>
        new Set((await db.jobRecord.findMany({ select: { podUid: true } })).map((r) => r.podUid));
      await vi.waitFor(async () => expect(notRecorded(batch, await recorded())).toEqual([]), { timeout: 30_000 });
      expect((await recorded()).has("db-good")).toBe(true);
      const rows = await db.jobRecord.findMany();
      for (const row of rows) expectStorable(row);
      // Seen again (a relist): still one row per pod.
      source.close(Object.assign(new Error("gone"), { statusCode: 410 }));
      await vi.waitFor(() => expect(source.watching).toBe(true));
      expect(await db.jobRecord.count()).toBe(rows.length);
    } finally {
      release();
    }
    // No prototype was polluted by a "__proto__" key from the cluster.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 90_000);

  it("the detail panel's view of any of these pods is plain JSON", () => {
    for (const c of cases("detail")) {
      const pod = podFromApi(structuredClone(c.pod));
      if (!pod) continue;
      expect(() => JSON.stringify(toPodDetail(pod)), c.field).not.toThrow();
    }
  });

  it("each skipped object is logged with what it was, never silently dropped", async () => {
    logged.length = 0;
    const source = new FakeSource<Pod>();
    source.items = [goodPod("logged-good"), "not a pod" as unknown as Pod];
    const { stream, release } = await watched(source);
    try {
      await vi.waitFor(() => expect(stream.status.state).toBe("live"));
      expect(stream.pods().map((p) => p.uid)).toEqual(["logged-good"]);
      expect(logged.some((line) => line.includes("not a Kubernetes object"))).toBe(true);
    } finally {
      release();
    }
  });
});
