import "server-only";
import path from "node:path";
import { databaseProvider } from "@/lib/database-url";
import { db } from "@/lib/db.server";
import { env } from "@/lib/env.server";
import { isShuttingDown } from "@/lib/lifecycle";
import { log } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import { expectedMigrations, migrated, within, type Readiness } from "./readiness";

const PROBE_TIMEOUT_MS = 2_000;

let expected: string[] | undefined;
let lastReason: string | undefined;

function migrationsDir(): string {
  const provider = databaseProvider(env().databaseUrl) ?? "sqlite";
  return path.join(process.cwd(), "prisma", ...(provider === "postgresql" ? ["postgresql"] : []), "migrations");
}

async function appliedMigrations(): Promise<string[] | null> {
  try {
    const rows = await db.$queryRaw<Array<{ migration_name: string }>>`
      SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;
    return rows.map((row) => row.migration_name);
  } catch (error) {
    // No migrations table yet is "not migrated"; anything else means we cannot reach the database.
    return /_prisma_migrations/.test(String((error as Error).message)) ? [] : null;
  }
}

/** Database reachable and migrated, and not shutting down. The reason is logged, never answered. */
export async function readiness(): Promise<Readiness> {
  expected ??= expectedMigrations(migrationsDir());
  let result: Readiness;
  if (isShuttingDown()) {
    result = { ready: false, reason: "shutting-down" };
  } else {
    const applied = await within(appliedMigrations(), PROBE_TIMEOUT_MS, null);
    if (applied === null) result = { ready: false, reason: "database-unreachable" };
    else if (!migrated(expected, applied)) result = { ready: false, reason: "not-migrated" };
    else result = { ready: true };
  }
  const reason = result.ready ? "ready" : result.reason;
  if (reason !== lastReason) {
    if (result.ready) log().info("readiness: ready");
    else log().warn({ reason }, "readiness: not ready");
    lastReason = reason;
  }
  metrics().ready.set(result.ready ? 1 : 0);
  return result;
}
