import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";

let history: typeof import("./list.server");
let db: typeof import("@/lib/db.server").db;
let connectionId: string;

const base = {
  namespace: "gitlab-runner",
  vcpuMilli: 2000,
  memoryMiB: 4096,
  currency: "CNY",
  createdAt: new Date("2026-01-01T00:00:00Z"),
};

beforeAll(async () => {
  useFreshDatabase();
  history = await import("./list.server");
  db = (await import("@/lib/db.server")).db;
  connectionId = (
    await db.connection.create({ data: { name: "h", server: "https://x", authType: "token", credentials: "{}" } })
  ).id;
  const other = (
    await db.connection.create({ data: { name: "other", server: "https://y", authType: "token", credentials: "{}" } })
  ).id;
  const gitlabConnectionId = (
    await db.gitlabConnection.create({ data: { name: "gl", url: "https://gitlab.example.com", credentials: "{}" } })
  ).id;
  await db.gitlabJob.create({
    data: {
      gitlabConnectionId,
      jobId: 31,
      projectId: 5,
      pipelineId: 900,
      name: "test",
      stage: "test",
      status: "canceled",
      ref: "refs/merge-requests/7/head",
      mergeRequestIid: 7,
      userName: "alice",
    },
  });
  // 1: no GitLab job joined; 2: joined, GitLab has not finished it; 3: GitLab canceled it (the pod vanished).
  const rows = [
    { podUid: "1", projectPath: "group/app", phase: "Succeeded", day: "2026-01-01", costMicros: 1000 },
    {
      podUid: "2",
      projectPath: "group/app",
      phase: "Failed",
      day: "2026-01-02",
      costMicros: 2000,
      ref: "main",
      gitlabConnectionId,
      gitlabJobId: 30,
    },
    {
      podUid: "3",
      projectPath: "group/web",
      phase: "Vanished",
      day: "2026-01-03",
      costMicros: 4000,
      ref: "feature",
      gitlabConnectionId,
      gitlabJobId: 31,
      gitlabStatus: "canceled",
    },
  ];
  for (const row of rows) {
    await db.jobRecord.create({
      data: {
        ...base,
        ...row,
        connectionId,
        podName: `pod-${row.podUid}`,
        finishedAt: new Date(`${row.day}T12:00:00Z`),
        billedSeconds: 10,
      },
    });
  }
  await db.jobRecord.create({
    data: {
      ...base,
      podUid: "x",
      connectionId: other,
      podName: "x",
      phase: "Succeeded",
      day: "2026-01-01",
      finishedAt: new Date("2026-01-01T00:00:00Z"),
      billedSeconds: 1,
      costMicros: 999_999,
    },
  });
});

describe("queryJobHistory", () => {
  it.each([
    [{}, ["3", "2", "1"], "0.007"],
    [{ project: "app" }, ["2", "1"], "0.003"],
    [{ status: "Vanished" as const }, ["3"], "0.004"],
    [{ from: "2026-01-02", to: "2026-01-02" }, ["2"], "0.002"],
    [{ result: "canceled" as const }, ["3"], "0.004"],
    [{ result: "pending" as const }, ["2"], "0.002"],
    [{ result: "unknown" as const }, ["1"], "0.001"],
    [{ result: "success" as const }, [], undefined],
  ])("%o", async (filters, uids, cost) => {
    const page = await history.queryJobHistory(connectionId, { page: 1, pageSize: 50, ...filters });
    expect(page.rows.map((r) => r.podUid)).toEqual(uids);
    expect(page.total).toBe(uids.length);
    expect(page.totals).toEqual(cost ? [{ currency: "CNY", cost, jobs: uids.length }] : []);
  });

  it("shows GitLab's result, pipeline, ref and user where a GitLab job is joined", async () => {
    const page = await history.queryJobHistory(connectionId, { page: 1, pageSize: 50 });
    const byUid = new Map(page.rows.map((r) => [r.podUid, r]));
    expect(byUid.get("3")).toMatchObject({
      result: "canceled",
      pipelineId: 900,
      pipelineRef: "refs/merge-requests/7/head",
      mergeRequestIid: 7,
      userName: "alice",
      stage: "test",
      phase: "Vanished",
    });
    // Joined, but GitLab has no row for the job yet: the pod's ref, nothing invented.
    expect(byUid.get("2")).toMatchObject({ result: "pending", pipelineId: null, pipelineRef: "main", userName: null });
    expect(byUid.get("1")).toMatchObject({ result: "unknown", pipelineId: null, userName: null });
  });

  it("exports the same columns", async () => {
    const rows = await history.exportJobHistory(connectionId, { page: 1, pageSize: 50, result: "canceled" });
    expect(rows.map((r) => [r.podUid, r.result, r.pipelineId, r.userName])).toEqual([["3", "canceled", 900, "alice"]]);
  });

  it("pages newest first while totals cover every match", async () => {
    const second = await history.queryJobHistory(connectionId, { page: 2, pageSize: 2 });
    expect(second.rows.map((r) => r.podUid)).toEqual(["1"]);
    expect(second.totals[0].jobs).toBe(3);
  });

  it("sums today's jobs of one connection only", async () => {
    expect(await history.costToday(connectionId, new Date("2026-01-01T20:00:00Z"))).toEqual([
      { currency: "CNY", cost: "0.001", jobs: 1 },
    ]);
  });
});
