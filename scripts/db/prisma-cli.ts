import { spawnSync } from "node:child_process";
import path from "node:path";

export interface PrismaResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Node arguments that run the Prisma CLI (see unref-long-timers.cjs for the preload). */
export function prismaArgv(args: string[], cwd = process.cwd()): string[] {
  return [
    "--require",
    path.join(cwd, "scripts", "db", "unref-long-timers.cjs"),
    path.join(cwd, "node_modules", "prisma", "build", "index.js"),
    ...args,
  ];
}

/** The environment for the Prisma CLI: prisma.config.ts picks the provider's schema and adapter from DATABASE_URL. */
export function prismaEnv(databaseUrl: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    DATABASE_URL: databaseUrl,
    // Prisma 6 would try to download native engines; the JS engine needs none.
    PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
    PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  };
}

export function prisma(args: string[], databaseUrl: string, cwd = process.cwd()): PrismaResult {
  const result = spawnSync(process.execPath, prismaArgv(args, cwd), {
    cwd,
    encoding: "utf8",
    env: prismaEnv(databaseUrl),
  });
  return { status: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

export function prismaOrThrow(args: string[], databaseUrl: string, cwd?: string): string {
  const result = prisma(args, databaseUrl, cwd);
  if (result.status !== 0)
    throw new Error(`prisma ${args[0]} ${args[1] ?? ""} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}
