import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";

let store: typeof import("./store.server");
let history: typeof import("@/lib/job-history/aggregates.server");
let db: typeof import("@/lib/db.server").db;

const target = {
  server: "https://127.0.0.1:6443",
  skipTlsVerify: false,
  authType: "token" as const,
  credentials: { token: "secret-token-value" },
};

async function connectionWithJobs(name: string, jobs: number, isDefault = false) {
  const connection = await store.createConnection({ name, target, caFingerprint: null, isDefault });
  for (let i = 0; i < jobs; i++) {
    await db.jobRecord.create({
      data: {
        podUid: `${connection.id}-${i}`,
        connectionId: connection.id,
        namespace: "gitlab-runner",
        podName: `runner-${i}`,
        phase: "Succeeded",
        createdAt: new Date("2026-12-01T10:00:00Z"),
        finishedAt: new Date("2026-12-01T10:05:00Z"),
        day: "2026-12-01",
        billedSeconds: 300,
        vcpuMilli: 1000,
        memoryMiB: 2048,
        currency: "CNY",
        costMicros: 20_000,
      },
    });
  }
  await db.runnerProfile.create({
    data: { name: `${connection.id}-profile`, connectionId: connection.id, settings: "{}" },
  });
  return connection;
}

beforeAll(async () => {
  useFreshDatabase();
  store = await import("./store.server");
  history = await import("@/lib/job-history/aggregates.server");
  db = (await import("@/lib/db.server")).db;
});

describe("deleting a connection", () => {
  it("says what it takes: job records, and profiles and apply records left without a cluster", async () => {
    const connection = await connectionWithJobs("impact", 3);
    expect(await store.deletionImpact(connection.id)).toEqual({ jobRecords: 3, runnerProfiles: 1, applyRecords: 0 });
    expect(await store.deletionImpact("no-such-id")).toBeNull();
  });

  it("with its history: the connection is gone from use, its jobs stay readable, its name is free", async () => {
    const kept = await connectionWithJobs("prod", 2, true);
    const other = await store.createConnection({ name: "staging", target, caFingerprint: null });
    expect(await store.deleteConnection(kept.id, { keepHistory: true, now: new Date("2026-12-06T09:00:00Z") })).toBe(
      true,
    );

    expect((await store.listConnections()).map((c) => c.name)).not.toContain("prod");
    expect(await store.resolveConnection("prod")).toBeNull();
    expect(await store.getConnection(kept.id)).toBeNull();
    expect(await store.loadTarget(kept.id)).toBeNull();
    expect((await store.resolveConnection())?.id).toBe((await store.listConnections()).find((c) => c.isDefault)?.id);
    expect((await store.listConnections()).filter((c) => c.isDefault)).toHaveLength(1);

    const archived = (await store.listConnections({ withArchived: true })).find((c) => c.id === kept.id);
    expect(archived).toMatchObject({ name: "prod (deleted 2026-12-06)", archived: true, isDefault: false });
    expect(await store.getConnection(kept.id, { withArchived: true })).toMatchObject({ archived: true });
    const row = await db.connection.findUniqueOrThrow({ where: { id: kept.id } });
    expect(row.credentials).not.toContain("secret-token-value");
    const totals = await history.historyByDay({
      connectionId: kept.id,
      fromDay: "2026-12-01",
      toDay: "2026-12-01",
      currency: "CNY",
    });
    expect(totals).toEqual([expect.objectContaining({ day: "2026-12-01", jobs: 2, costMicros: 40_000 })]);

    // The name can be used again, and deleting that one with its history too picks another archive name.
    const again = await connectionWithJobs("prod", 1);
    expect(await store.deleteConnection(again.id, { keepHistory: true, now: new Date("2026-12-06T10:00:00Z") })).toBe(
      true,
    );
    expect((await store.listConnections({ withArchived: true })).map((c) => c.name)).toEqual(
      expect.arrayContaining(["prod (deleted 2026-12-06)", "prod (deleted 2026-12-06) 2"]),
    );
    // An archive is not deleted again through the connection pages.
    expect(await store.deleteConnection(kept.id)).toBe(false);
    expect(other.id).toBeTruthy();
  });

  it("without its history: the job records go with it; profiles stay, without a cluster", async () => {
    const gone = await connectionWithJobs("scratch", 2);
    expect(await store.deleteConnection(gone.id)).toBe(true);
    expect(await db.connection.findUnique({ where: { id: gone.id } })).toBeNull();
    expect(await db.jobRecord.count({ where: { connectionId: gone.id } })).toBe(0);
    expect(await db.runnerProfile.findFirst({ where: { name: `${gone.id}-profile` } })).toMatchObject({
      connectionId: null,
    });
  });

  it("with nothing recorded, keeping history keeps nothing: the connection is simply deleted", async () => {
    const empty = await store.createConnection({ name: "empty", target, caFingerprint: null });
    expect(await store.deleteConnection(empty.id, { keepHistory: true })).toBe(true);
    expect(await db.connection.findUnique({ where: { id: empty.id } })).toBeNull();
  });
});
