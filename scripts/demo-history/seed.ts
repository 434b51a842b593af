/**
 * Seeds the demo's job history on first start (scripts/demo.ts, unless --no-history): weeks of
 * plausible finished jobs for the demo connection, so "From your cluster" has something to say on a
 * first run. Only when the connection has no job record yet; the rows say what they are
 * (source "demo-seed", pod uids "demo-seed-…"). Runs beside the dashboard, on its database.
 */
import { createPrismaClient } from "../../lib/db/client";
import { connectionPricingOf } from "../../lib/cost/connection-pricing";
import { defaultPriceBook, regionGroupOf } from "../../lib/cost/prices";
import { jobRecordData, storableJobRecord } from "../../lib/job-history/record";
import { seededJobPods } from "./generate";

export interface SeedDemoHistoryOptions {
  databaseUrl: string;
  connectionName: string;
  days: number;
  seed: number;
  gitlabUrl?: string;
  now?: Date;
  /** How long to wait for the dashboard to register the connection on its first start. */
  waitMs?: number;
}

const CHUNK = 500;

/** SQLite may be busy with the dashboard's own first writes: try a chunk again a few times. */
async function withRetry<T>(write: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** Returns how many job records were written (0: the connection had history already). */
export async function seedDemoHistory(options: SeedDemoHistoryOptions): Promise<number> {
  const db = createPrismaClient(options.databaseUrl);
  try {
    const deadline = Date.now() + (options.waitMs ?? 120_000);
    // The dashboard migrates the database and registers the connection as it starts: until then the
    // table may not even exist.
    const find = () => db.connection.findUnique({ where: { name: options.connectionName } }).catch(() => null);
    let connection = await find();
    while (!connection && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      connection = await find();
    }
    if (!connection) throw new Error(`no connection "${options.connectionName}" to seed history for`);
    if ((await db.jobRecord.count({ where: { connectionId: connection.id } })) > 0) return 0;
    const pricing = connectionPricingOf(connection);
    // The built-in book of the connection's site and region group: a first start has no edited prices.
    const book = defaultPriceBook(
      pricing.site,
      pricing.region === "default" ? "mainland" : regionGroupOf(pricing.region),
    );
    const rows = seededJobPods({
      days: options.days,
      now: options.now ?? new Date(),
      seed: options.seed,
      gitlabUrl: options.gitlabUrl,
    })
      .map(({ pod, end }) =>
        storableJobRecord(jobRecordData(pod, end, connection.id, book, { defaultBackend: pricing.defaultBackend })),
      )
      .flatMap((result) => (result.ok ? [{ ...result.data, source: "demo-seed" }] : []));
    for (let i = 0; i < rows.length; i += CHUNK)
      await withRetry(() => db.jobRecord.createMany({ data: rows.slice(i, i + CHUNK) }));
    return rows.length;
  } finally {
    await db.$disconnect();
  }
}
