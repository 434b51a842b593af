import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";

// Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL (tests/test-db.ts).
describe("/healthz, /readyz, /metrics", () => {
  let db: typeof import("@/lib/db.server").db;
  let readyz: typeof import("@/app/readyz/route").GET;

  beforeAll(async () => {
    useFreshDatabase();
    db = (await import("@/lib/db.server")).db;
    readyz = (await import("@/app/readyz/route")).GET;
  });
  afterAll(() => {
    delete process.env.ASK_CI_METRICS_TOKEN;
  });

  it("/healthz answers without touching the database", async () => {
    const response = (await import("@/app/healthz/route")).GET();
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok\n");
  });

  it("/readyz is 200 when migrated, 503 without a migration, and 200 again once it is back; no detail leaks", async () => {
    expect((await readyz()).status).toBe(200);
    const [last] = await db.$queryRaw<Array<{ id: string; migration_name: string }>>`
      SELECT "id", "migration_name" FROM "_prisma_migrations" ORDER BY "migration_name" DESC LIMIT 1`;
    await db.$executeRaw`UPDATE "_prisma_migrations" SET "rolled_back_at" = "finished_at" WHERE "id" = ${last.id}`;
    const notReady = await readyz();
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toBe("not ready\n");
    await db.$executeRaw`UPDATE "_prisma_migrations" SET "rolled_back_at" = NULL WHERE "id" = ${last.id}`;
    expect((await readyz()).status).toBe(200);
  });

  it("/metrics serves Prometheus text, behind the token when one is set", async () => {
    const { GET } = await import("@/app/metrics/route");
    const open = await GET(new Request("http://localhost/metrics"));
    expect(open.status).toBe(200);
    expect(open.headers.get("content-type")).toContain("text/plain");
    const text = await open.text();
    for (const name of [
      "askci_http_requests_total",
      "askci_upstream_watches_open",
      "askci_sse_viewers",
      "askci_watch_events_total",
      "askci_job_records_written_total",
      "askci_upstream_requests_total",
      "askci_leader",
      "askci_ready 1",
    ]) {
      expect(text).toContain(name);
    }

    process.env.ASK_CI_METRICS_TOKEN = "metrics-token-123";
    expect((await GET(new Request("http://localhost/metrics"))).status).toBe(401);
    const authorized = await GET(
      new Request("http://localhost/metrics", { headers: { authorization: "Bearer metrics-token-123" } }),
    );
    expect(authorized.status).toBe(200);
  });

  it("/readyz turns 503 for good once shutdown begins", async () => {
    // The process's lifecycle state lives on globalThis: shut down a fresh one and put the old one
    // back, so the other probe tests see a running server whichever order they run in.
    const holder = globalThis as { askCiLifecycle?: unknown };
    const running = holder.askCiLifecycle;
    delete holder.askCiLifecycle;
    try {
      (await import("@/lib/lifecycle")).beginShutdown();
      expect((await readyz()).status).toBe(503);
      expect((await readyz()).status).toBe(503);
    } finally {
      holder.askCiLifecycle = running;
    }
  });
});
