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
  const rows = [
    { podUid: "1", projectPath: "group/app", phase: "Succeeded", day: "2026-01-01", costMicros: 1000 },
    { podUid: "2", projectPath: "group/app", phase: "Failed", day: "2026-01-02", costMicros: 2000 },
    { podUid: "3", projectPath: "group/web", phase: "Vanished", day: "2026-01-03", costMicros: 4000 },
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
  ])("%o", async (filters, uids, cost) => {
    const page = await history.queryJobHistory(connectionId, { page: 1, pageSize: 50, ...filters });
    expect(page.rows.map((r) => r.podUid)).toEqual(uids);
    expect(page.total).toBe(uids.length);
    expect(page.totals).toEqual([{ currency: "CNY", cost, jobs: uids.length }]);
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
