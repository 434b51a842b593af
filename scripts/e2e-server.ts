/**
 * The server Playwright tests run against: the production build on a fresh, temporary data
 * directory, with the demo cluster registered as the connection "demo" (its kubeconfig is
 * <E2E_DATA_DIR>/demo.kubeconfig, which the tests read too) and the demo GitLab (its URL, admin
 * token, users and OIDC client in <E2E_DATA_DIR>/demo-gitlab.json). In the PostgreSQL pass
 * (ASK_CI_TEST_POSTGRES_URL, scripts/test/with-postgres.ts) its database is a new, empty
 * PostgreSQL database that `npm start` migrates, as in a real first deployment.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { resolveDatabaseUrl } from "../lib/database-url";
import { TEST_POSTGRES_URL_VARIABLE } from "../tests/test-db";
import { runDemo } from "./demo";

async function main(): Promise<void> {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is required");
  fs.rmSync(dataDir, { recursive: true, force: true });
  const postgres = process.env[TEST_POSTGRES_URL_VARIABLE];
  if (postgres) process.env.DATABASE_URL = await createEmptyDatabase(postgres, `e2e_${process.pid}`);
  // Where fixtures that seed the database find it (scripts/test/seed-cost-history.ts).
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, "database-url"), resolveDatabaseUrl(process.env), { mode: 0o600 });
  await runDemo({
    dataDir,
    build: false,
    port: Number(process.env.PORT ?? 3100),
    clusterPort: 0,
    gitlabPort: 0,
    seed: 7,
    // The demo's runners take the demo GitLab's jobs: about this many a minute from its pushes,
    // fewer than the runners get through, so a pipeline run by a test is not queued behind a backlog.
    jobsPerMinute: Number(process.env.E2E_JOBS_PER_MINUTE ?? 6),
    // A 60-minute job timeout becomes 2 minutes: e2e/job-lifecycle.spec.ts waits for one to pass.
    speed: 30,
    // Spot reclaims 3 s after their warning instead of ECI's 3 minutes.
    spotNoticeSeconds: 3,
    // The specs count and price the jobs they make: no seeded history.
    historyDays: 0,
    // The specs' waits were set against the GitLab link's polling (15 s busy, 60 s idle).
    webhooks: false,
  });
}

async function createEmptyDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

void main();
