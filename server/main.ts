/**
 * The production entry point (`npm start`; `node server.js` in the container image): validate the
 * configuration, apply migrations, serve. SIGTERM and SIGINT shut down gracefully.
 */
import fs from "node:fs";
import { redactDatabaseUrl } from "../lib/database-url";
import { EnvError, parseEnv } from "../lib/env";
import { log } from "../lib/observability/log";
import { prisma } from "../scripts/db/prisma-cli";
import { countUpstreamCalls } from "../lib/observability/upstream-calls";
import { consoleToLog } from "./console-to-log";
import { startServer } from "./server";

export function migrate(databaseUrl: string, dir = process.cwd()): void {
  const result = prisma(["migrate", "deploy"], databaseUrl, dir);
  if (result.status !== 0) {
    log().fatal(
      { database: redactDatabaseUrl(databaseUrl), output: `${result.stdout}${result.stderr}` },
      "database migration failed",
    );
    process.exit(1);
  }
  log().info({ database: redactDatabaseUrl(databaseUrl) }, "database migrated");
}

export async function main(dir = process.cwd()): Promise<void> {
  let appEnv;
  try {
    appEnv = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  process.env.DATABASE_URL = appEnv.databaseUrl;
  (process.env as Record<string, string>).NODE_ENV = "production";
  consoleToLog(log());
  countUpstreamCalls();
  fs.mkdirSync(appEnv.ASK_CI_DATA_DIR, { recursive: true });
  if (process.env.ASK_CI_SKIP_MIGRATE !== "true") migrate(appEnv.databaseUrl, dir);

  const server = await startServer({
    dir,
    port: Number(process.env.PORT ?? 3000),
    // Not HOSTNAME: Kubernetes and shells set it to the machine's name. Default: every interface.
    hostname: process.env.ASK_CI_LISTEN_ADDRESS || "::",
    trustProxy: appEnv.ASK_CI_TRUST_PROXY,
  });
  log().info({ url: server.url }, "Ready");
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void server.shutdown(signal).then(() => process.exit(0));
    });
  }
}
