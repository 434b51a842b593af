import { describe, expect, it } from "vitest";
import type { PodSummary } from "./pod-summary";
import {
  countByPhase,
  distinct,
  filterPods,
  formatDuration,
  NO_FILTERS,
  podDurationMs,
  rowsClock,
  sortPods,
  type Sort,
} from "./table";

function row(uid: string, over: Partial<PodSummary> = {}): PodSummary {
  return {
    uid,
    name: `pod-${uid}`,
    namespace: "ci",
    resourceVersion: "1",
    phase: "Running",
    reason: null,
    restarts: 0,
    createdAt: 1000,
    startedAt: 1000,
    finishedAt: null,
    deletingAt: null,
    goneAt: null,
    isJobPod: true,
    jobTimeoutSeconds: null,
    runner: "r1",
    projectId: null,
    projectPath: "group/app",
    jobId: "1",
    jobName: "test",
    jobUrl: null,
    ref: "main",
    placement: { backend: "eci" },
    spec: { vcpu: 1, memoryGiB: 2 },
    specSource: "default",
    cost: { currency: "CNY", perSecond: "0.001", billingStart: 1000, billingEnd: null, final: null },
    ...over,
  };
}

const pods = [
  row("a"),
  row("b", {
    phase: "Pending",
    createdAt: 5000,
    startedAt: null,
    reason: "ImagePullBackOff",
    projectPath: "group/other",
    runner: "r2",
  }),
  row("c", {
    phase: "Succeeded",
    createdAt: 2000,
    startedAt: 2000,
    finishedAt: 62_000,
    jobName: "deploy",
    cost: { currency: "CNY", perSecond: "0.001", billingStart: 2000, billingEnd: 62_000, final: "0.06" },
  }),
];

describe("filterPods", () => {
  it.each([
    ["no filters", NO_FILTERS, ["a", "b", "c"]],
    ["phase", { ...NO_FILTERS, phase: "Pending" as const }, ["b"]],
    ["stuck only", { ...NO_FILTERS, phase: "stuck" as const }, ["b"]],
    ["project", { ...NO_FILTERS, project: "group/app" }, ["a", "c"]],
    ["runner", { ...NO_FILTERS, runner: "r2" }, ["b"]],
    ["text in job name, any case", { ...NO_FILTERS, text: "DEPLOY" }, ["c"]],
    ["text in reason", { ...NO_FILTERS, text: "imagepull" }, ["b"]],
  ])("%s", (_name, filters, expected) => {
    expect(filterPods(pods, filters, 10_000).map((p) => p.uid)).toEqual(expected);
  });
});

describe("sortPods", () => {
  it.each([
    [{ key: "age" as const, descending: false }, ["b", "c", "a"]],
    [{ key: "age" as const, descending: true }, ["a", "c", "b"]],
    [{ key: "phase" as const, descending: false }, ["b", "a", "c"]],
    [{ key: "cost" as const, descending: true }, ["c", "a", "b"]],
    [{ key: "job" as const, descending: false }, ["c", "a", "b"]],
  ])("%o", (sort, expected) => {
    expect(sortPods(pods, sort, 31_000).map((p) => p.uid)).toEqual(expected);
  });
});

describe("rowsClock", () => {
  it("is the time only for the stuck filter and the cost order, which read it", () => {
    const byAge: Sort = { key: "age", descending: false };
    expect(rowsClock(NO_FILTERS, byAge, 12_345)).toBe(0);
    expect(rowsClock({ ...NO_FILTERS, phase: "Running" }, { key: "name", descending: true }, 12_345)).toBe(0);
    expect(rowsClock({ ...NO_FILTERS, phase: "stuck" }, byAge, 12_345)).toBe(12_345);
    expect(rowsClock(NO_FILTERS, { key: "cost", descending: true }, 12_345)).toBe(12_345);
  });

  it("leaves the rows as filtering and sorting at the real time would", () => {
    for (const [filters, sort] of [
      [NO_FILTERS, { key: "age", descending: false }],
      [
        { ...NO_FILTERS, phase: "Pending" },
        { key: "phase", descending: true },
      ],
      [
        { ...NO_FILTERS, phase: "stuck" },
        { key: "cost", descending: true },
      ],
    ] as const) {
      const at = (now: number) => sortPods(filterPods(pods, filters, now), sort, now).map((p) => p.uid);
      expect(at(rowsClock(filters, sort, 400_000))).toEqual(at(400_000));
    }
  });
});

describe("counts, options, durations", () => {
  it("counts per phase and lists filter options", () => {
    expect(countByPhase(pods)).toMatchObject({ Running: 1, Pending: 1, Succeeded: 1, Failed: 0 });
    expect(distinct(pods, "projectPath")).toEqual(["group/app", "group/other"]);
  });
  it("durations run to now while active, to the finish otherwise", () => {
    expect(podDurationMs(pods[0], 61_000)).toBe(60_000);
    expect(podDurationMs(pods[2], 999_999)).toBe(60_000);
    expect(podDurationMs(row("x", { createdAt: null, startedAt: null }), 1)).toBeNull();
  });
  it.each([
    [null, "—"],
    [45_000, "45s"],
    [185_000, "3m 05s"],
    [7_440_000, "2h 04m"],
    [266_400_000, "3d 2h"],
  ])("formatDuration(%s) = %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("table edges", () => {
  it("trims the search text, and needs every word's neighbour to be a separate field", () => {
    expect(filterPods(pods, { ...NO_FILTERS, text: "  deploy  " }, 10_000).map((p) => p.uid)).toEqual(["c"]);
    // fields are joined with a space: a search across two fields with nothing between finds nothing
    expect(filterPods(pods, { ...NO_FILTERS, text: "cipod-a" }, 10_000)).toEqual([]);
    expect(filterPods(pods, { ...NO_FILTERS, text: "ci pod-a" }, 10_000).map((p) => p.uid)).toEqual(["a"]);
  });

  it("sorts by name and project (a missing project first), either way, ties by uid", () => {
    const rows = [
      row("2", { name: "b", projectPath: "z/app" }),
      row("1", { name: "b", projectPath: null }),
      row("3", { name: "a", projectPath: "a/app" }),
    ];
    expect(sortPods(rows, { key: "name", descending: false }, 0).map((p) => p.uid)).toEqual(["3", "1", "2"]);
    expect(sortPods(rows, { key: "name", descending: true }, 0).map((p) => p.uid)).toEqual(["1", "2", "3"]);
    expect(sortPods(rows, { key: "project", descending: false }, 0).map((p) => p.uid)).toEqual(["1", "3", "2"]);
    expect(sortPods(rows, { key: "job", descending: false }, 0).map((p) => p.uid)).toEqual(["1", "2", "3"]);
    expect(sortPods([...rows].reverse(), { key: "job", descending: true }, 0).map((p) => p.uid)).toEqual([
      "1",
      "2",
      "3",
    ]);
  });

  it("sorts numbers as numbers (10 after 9) and puts rows of unknown age last when the newest come first", () => {
    const rows = [row("x", { createdAt: 10_000 }), row("y", { createdAt: 9_000 }), row("z", { createdAt: null })];
    expect(sortPods(rows, { key: "age", descending: false }, 0).map((p) => p.uid)).toEqual(["x", "y", "z"]);
  });

  it("lists each option once, sorted, without empty values", () => {
    const rows = [
      row("1", { runner: "r2" }),
      row("2", { runner: null }),
      row("3", { runner: "r1" }),
      row("4", { runner: "r2" }),
    ];
    expect(distinct(rows, "runner")).toEqual(["r1", "r2"]);
  });

  it("measures from the start, else the creation; a finished pod to its finish, else when it went, else its billing end", () => {
    expect(podDurationMs(row("s", { startedAt: 3000, createdAt: 1000 }), 10_000)).toBe(7000);
    expect(podDurationMs(row("c", { startedAt: null, createdAt: 1000 }), 10_000)).toBe(9000);
    const vanished = row("v", { phase: "Vanished", finishedAt: null, goneAt: 4000 });
    expect(podDurationMs(vanished, 10_000)).toBe(3000);
    const billed = row("b", {
      phase: "Failed",
      finishedAt: null,
      goneAt: null,
      cost: { currency: "CNY", perSecond: "0.001", billingStart: 1000, billingEnd: 6000, final: null },
    });
    expect(podDurationMs(billed, 10_000)).toBe(5000);
  });

  it.each([
    [-1, "—"],
    [0, "0s"],
    [59_999, "59s"],
    [60_000, "1m 00s"],
    [3_599_999, "59m 59s"],
    [3_600_000, "1h 00m"],
    [86_399_999, "23h 59m"],
    [86_400_000, "1d 0h"],
  ])("formatDuration(%s) = %s at the unit edges", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
