/**
 * Runs a command with a throwaway PostgreSQL 15 (scripts/lib/throwaway-postgres.ts) and stops it
 * afterwards, whatever the command's outcome:
 *   tsx scripts/test/with-postgres.ts -- npx vitest run ...
 * The command sees ASK_CI_TEST_POSTGRES_URL (the server's admin database) and finds there a
 * template database, ask_ci_template, migrated by `npm start`'s own migration path; tests copy it
 * (tests/test-db.ts), the e2e server migrates a database of its own (scripts/e2e-server.ts).
 */
import { spawn } from "node:child_process";
import { startThrowawayPostgres } from "../lib/throwaway-postgres";
import { prismaOrThrow } from "../db/prisma-cli";
import { TEST_POSTGRES_TEMPLATE, TEST_POSTGRES_URL_VARIABLE } from "../../tests/test-db";

async function main(): Promise<number> {
  const separator = process.argv.indexOf("--");
  const command = separator >= 0 ? process.argv.slice(separator + 1) : [];
  if (command.length === 0) {
    console.error("usage: tsx scripts/test/with-postgres.ts -- <command> [args...]");
    return 2;
  }
  const started = Date.now();
  const server = await startThrowawayPostgres();
  const stop = () => server.stop();
  process.on("exit", stop);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));
  try {
    prismaOrThrow(["migrate", "deploy"], await server.createDatabase(TEST_POSTGRES_TEMPLATE));
    console.log(`PostgreSQL 15 on 127.0.0.1:${server.port} ready in ${Date.now() - started} ms`);
    return await new Promise<number>((resolve) => {
      const child = spawn(command[0], command.slice(1), {
        stdio: "inherit",
        env: { ...process.env, [TEST_POSTGRES_URL_VARIABLE]: server.url() },
      });
      child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
