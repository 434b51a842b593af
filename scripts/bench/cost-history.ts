/**
 * `npm run bench:cost`: the cost page's job-history aggregations over 1,000,000 JobRecords in a
 * temporary SQLite database (target: < 300 ms each). Prints wall and CPU time per aggregation; copy the
 * figures into docs/benchmarks.md. Flags: --records N (default 1,000,000), --runs N (default 5).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

// The aggregations live in a server-only module; outside Next.js "server-only" would throw on import.
require.cache[require.resolve("server-only")] = { exports: {} } as NodeJS.Module;

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const RECORDS = flag("--records", 1_000_000);
const RUNS = flag("--runs", 5);
const DAYS = 90;
const PROJECTS = 40;
const SPECS = [
  [250, 512],
  [500, 1024],
  [1000, 2048],
  [2000, 4096],
  [4000, 8192],
] as const;

function migrate(url: string): void {
  const result = spawnSync(
    process.execPath,
    [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"],
    {
      encoding: "utf8",
      env: {
        ...process.env,
        DATABASE_URL: url,
        PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
        PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
      },
    },
  );
  if (result.status !== 0) throw new Error(`migrate deploy failed: ${result.stderr}${result.stdout}`);
}

// How Prisma's SQLite adapter writes a DateTime, so the bench reads the same bytes the app does.
function prismaDateTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

/** One connection, RECORDS jobs spread over DAYS days ending today, in one transaction. */
function fill(file: string): { connectionId: string; ms: number } {
  const started = performance.now();
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  const connectionId = "bench-connection";
  sqlite
    .prepare(
      `INSERT INTO "Connection" ("id", "name", "server", "authType", "credentials", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(connectionId, "bench", "https://bench.invalid", "token", "{}", prismaDateTime(Date.now()));
  const insert = sqlite.prepare(`INSERT INTO "JobRecord"
    ("id", "podUid", "connectionId", "namespace", "podName", "projectPath", "jobName", "phase", "createdAt", "finishedAt", "day",
     "billedSeconds", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB", "currency", "costMicros", "recordedAt")
    VALUES (?, ?, ?, 'gitlab-runner', ?, ?, ?, 'Succeeded', ?, ?, ?, ?, ?, ?, ?, ?, 'CNY', ?, ?)`);
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const now = Date.now();
  const insertAll = sqlite.transaction(() => {
    for (let i = 0; i < RECORDS; i++) {
      // Oldest first, as the recorder writes them.
      const finishedAt = new Date(now - DAYS * 86_400_000 + Math.floor((i / RECORDS) * DAYS * 86_400_000));
      const [vcpuMilli, memoryMiB] = SPECS[Math.floor(next() * SPECS.length)];
      const billedSeconds = 5 + Math.floor(next() ** 2 * 3600);
      const rightSized = next() < 0.6;
      const finished = finishedAt.getTime();
      insert.run(
        `job-${i}`,
        `uid-${i}`,
        connectionId,
        `runner-bench-project-${i % PROJECTS}-concurrent-0-${i}`,
        next() < 0.02 ? null : `group/project-${Math.floor(next() * PROJECTS)}`,
        `job-${i % 11}`,
        prismaDateTime(finished - billedSeconds * 1000),
        prismaDateTime(finished),
        finishedAt.toISOString().slice(0, 10),
        billedSeconds,
        vcpuMilli,
        memoryMiB,
        rightSized ? vcpuMilli : Math.max(250, vcpuMilli / 2),
        rightSized ? memoryMiB : Math.max(512, memoryMiB / 2),
        Math.round((billedSeconds * (vcpuMilli * 49 + memoryMiB * 5.99)) / 1000),
        prismaDateTime(finished),
      );
    }
  });
  insertAll();
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.exec("ANALYZE");
  sqlite.close();
  return { connectionId, ms: performance.now() - started };
}

interface Timing {
  wall: number;
  cpu: number;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/**
 * Wall time and this process's CPU time (SQLite runs in-process, on this thread). On a shared,
 * busy machine the wall time mostly measures waiting for a core; the CPU time is the query's cost.
 */
async function time(label: string, run: () => Promise<unknown>): Promise<Timing> {
  await run(); // warm the page cache and the statement
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await run();
    walls.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuBefore);
    cpus.push((cpu.user + cpu.system) / 1000);
  }
  const timing = { wall: median(walls), cpu: median(cpus) };
  console.log(
    `${label.padEnd(40)} wall ${timing.wall.toFixed(1).padStart(7)} ms   cpu ${timing.cpu.toFixed(1).padStart(7)} ms`,
  );
  return timing;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-bench-cost-"));
  const file = path.join(dir, "bench.db");
  const url = `file:${file}`;
  try {
    migrate(url);
    const { connectionId, ms } = fill(file);
    console.log(
      `${RECORDS.toLocaleString("en")} JobRecords over ${DAYS} days inserted in ${(ms / 1000).toFixed(1)} s (${os.cpus().length} CPUs, node ${process.version})`,
    );
    process.env.DATABASE_URL = url;
    process.env.ASK_CI_DATA_DIR = dir;
    const history = await import("@/lib/job-history/aggregates.server");
    const { DEFAULT_PRICE_BOOKS } = await import("@/lib/cost/prices");
    const { fromDay, toDay } = history.periodDays(DAYS);
    const all = { connectionId, fromDay, toDay, currency: "CNY" };
    const month = { ...all, ...history.periodDays(30) };

    const results: Array<[string, Timing]> = [];
    const bench = async (label: string, run: () => Promise<unknown>) => results.push([label, await time(label, run)]);
    for (const [range, filter] of [
      ["90 days", all],
      ["last 30 days", month],
    ] as const) {
      await bench(`currencies (${range})`, () => history.historyCurrencies(filter));
      await bench(`per day and project (${range})`, () => history.historyByDayAndProject(filter));
      await bench(`percentiles p50/p90/p99 (${range})`, () => history.historyDurationPercentiles(filter));
      await bench(`specs + right-sizing (${range})`, async () =>
        history.rightSizingOf(await history.historySpecGroups(filter), DEFAULT_PRICE_BOOKS.cn),
      );
      await bench(`10 most expensive (${range})`, () => history.historyMostExpensive(filter, 10));
    }
    const { loadClusterCostReport } = await import("@/lib/cost/cluster-report.server");
    await bench("whole report, all queries (90 days)", () => loadClusterCostReport(connectionId, DAYS));

    // Per day, per project and the totals are folded from "per day and project" (no query of their own).
    const slow = results.filter(([label, timing]) => timing.cpu >= 300 && !label.startsWith("whole report"));
    console.log(`Load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs.`);
    console.log(
      slow.length === 0
        ? "Every aggregation under 300 ms of CPU."
        : `Over 300 ms of CPU: ${slow.map(([label]) => label).join(", ")}`,
    );
    const { db } = await import("@/lib/db.server");
    await db.$disconnect();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
