import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";
import { seedDemoHistory } from "./seed";

let db: typeof import("@/lib/db.server").db;
let url: string;

beforeAll(async () => {
  url = useFreshDatabase().url;
  db = (await import("@/lib/db.server")).db;
});

afterAll(async () => {
  await db.$disconnect();
});

describe("seedDemoHistory", () => {
  it("fills an empty connection's history once, marked as seeded, and leaves a connection with history alone", async () => {
    const connection = await db.connection.create({
      data: { name: "demo", server: "https://x", authType: "token", credentials: "{}" },
    });
    const now = new Date("2026-12-06T12:00:00Z");
    const written = await seedDemoHistory({ databaseUrl: url, connectionName: "demo", days: 3, seed: 42, now });
    expect(written).toBeGreaterThan(50);
    const rows = await db.jobRecord.findMany({ where: { connectionId: connection.id } });
    expect(rows).toHaveLength(written);
    expect(new Set(rows.map((row) => row.source))).toEqual(new Set(["demo-seed"]));
    expect(rows.every((row) => row.podUid.startsWith("demo-seed-"))).toBe(true);
    expect(rows.every((row) => row.currency === "CNY" && row.costMicros > 0n)).toBe(true);
    expect(await seedDemoHistory({ databaseUrl: url, connectionName: "demo", days: 3, seed: 42, now })).toBe(0);
  });

  it("gives up with a clear error when the connection never appears", async () => {
    await expect(
      seedDemoHistory({ databaseUrl: url, connectionName: "nope", days: 1, seed: 1, waitMs: 10 }),
    ).rejects.toThrow('no connection "nope"');
  });
});
