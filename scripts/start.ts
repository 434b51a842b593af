/**
 * Production start: validate the configuration, apply migrations, then run `next start`.
 * Usage: npm start   (after `npm run build`; PORT and HOSTNAME as for Next.js)
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { redactDatabaseUrl } from "../lib/database-url";
import { EnvError, parseEnv } from "../lib/env";
import { prisma } from "./db/prisma-cli";

function main(): void {
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
  fs.mkdirSync(appEnv.ASK_CI_DATA_DIR, { recursive: true });
  migrate(appEnv.databaseUrl);

  const port = process.env.PORT ?? "3000";
  const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  const child = spawn(process.execPath, [nextBin, "start", "-p", port], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: appEnv.databaseUrl, NODE_ENV: "production" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
}

export function migrate(databaseUrl: string): void {
  const result = prisma(["migrate", "deploy"], databaseUrl);
  if (result.status !== 0) {
    console.error(
      `ask-ci: database migration failed (${redactDatabaseUrl(databaseUrl)}):\n${result.stdout}${result.stderr}`,
    );
    process.exit(1);
  }
}

if (require.main === module) main();
