/**
 * Production start: validate the configuration, apply migrations, then run `next start`.
 * Usage: npm start   (after `npm run build`; PORT and HOSTNAME as for Next.js)
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { EnvError, parseEnv } from "../lib/env";

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
  const prismaBin = path.join(process.cwd(), "node_modules", "prisma", "build", "index.js");
  const result = spawnSync(process.execPath, [prismaBin, "migrate", "deploy"], {
    encoding: "utf8",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      // Prisma 6 would try to download native engines; the JS engine needs none.
      PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
      PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
    },
  });
  if (result.status !== 0) {
    console.error(`ask-ci: database migration failed:\n${result.stdout}${result.stderr}`);
    process.exit(1);
  }
}

if (require.main === module) main();
