import path from "node:path";

export const DEFAULT_SQLITE_FILE = "data/ask-ci.db";

export type DatabaseProvider = "sqlite" | "postgresql";

/**
 * The database location, shared by the Prisma CLI (prisma.config.ts) and the app.
 * DATABASE_URL wins; else ASK_CI_DATA_DIR/ask-ci.db; else data/ask-ci.db in the working directory.
 */
export function resolveDatabaseUrl(env: Record<string, string | undefined>): string {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const file = env.ASK_CI_DATA_DIR ? path.join(env.ASK_CI_DATA_DIR, "ask-ci.db") : DEFAULT_SQLITE_FILE;
  return `file:${path.resolve(file)}`;
}

/** Which provider a DATABASE_URL names, or null for a scheme we do not support. */
export function databaseProvider(url: string): DatabaseProvider | null {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (/^file:/i.test(url)) return "sqlite";
  return null;
}

/** Where each provider's Prisma schema lives; prisma/schema.prisma is the one that is edited. */
export const PRISMA_SCHEMA_PATHS: Record<DatabaseProvider, string> = {
  sqlite: path.join("prisma", "schema.prisma"),
  postgresql: path.join("prisma", "postgresql", "schema.prisma"),
};

/** The URL without its password, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}
