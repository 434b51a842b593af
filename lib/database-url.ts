import path from "node:path";

export const DEFAULT_SQLITE_FILE = "data/ask-ci.db";

/**
 * The database location, shared by the Prisma CLI (prisma.config.ts) and the app.
 * DATABASE_URL wins; else ASK_CI_DATA_DIR/ask-ci.db; else data/ask-ci.db in the working directory.
 */
export function resolveDatabaseUrl(env: Record<string, string | undefined>): string {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const file = env.ASK_CI_DATA_DIR ? path.join(env.ASK_CI_DATA_DIR, "ask-ci.db") : DEFAULT_SQLITE_FILE;
  return `file:${path.resolve(file)}`;
}
