import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { databaseProvider } from "../database-url";
import { SchemaEngineClient } from "./pg-schema-engine-client";

/**
 * The Prisma driver adapter for a DATABASE_URL: better-sqlite3 for `file:`, node-postgres for
 * `postgresql://`. Shared by the app (lib/db.server.ts) and the Prisma CLI (prisma.config.ts).
 * Not server-only: the CLI loads it outside Next.js.
 */
export interface PoolSettings {
  /** The URL handed to node-postgres, without the parameters below (it reads sslmode etc. itself). */
  connectionString: string;
  max: number;
  statementTimeoutMs: number;
  connectionTimeoutMs: number;
  /** PostgreSQL schema (search path) when not "public". */
  schema?: string;
}

export const POOL_DEFAULTS = { max: 10, statementTimeoutMs: 30_000, connectionTimeoutMs: 5_000 } as const;

// Prisma's own URL parameters for these (connection_limit, pool_timeout in seconds), plus statement_timeout in ms.
const POOL_PARAMETERS = ["connection_limit", "pool_timeout", "statement_timeout", "schema"] as const;

function positiveInteger(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

/**
 * Pool size, statement timeout and connect timeout: the URL's parameter if present, else the
 * environment (DATABASE_POOL_SIZE, DATABASE_STATEMENT_TIMEOUT_MS, DATABASE_CONNECT_TIMEOUT_MS), else the default.
 */
export function poolSettings(url: string, env: Record<string, string | undefined>): PoolSettings {
  const parsed = new URL(url);
  const param = (name: (typeof POOL_PARAMETERS)[number]) => parsed.searchParams.get(name) ?? undefined;
  const poolTimeoutSeconds = positiveInteger(param("pool_timeout"), "DATABASE_URL pool_timeout");
  const settings: PoolSettings = {
    connectionString: "",
    max:
      positiveInteger(param("connection_limit"), "DATABASE_URL connection_limit") ??
      positiveInteger(env.DATABASE_POOL_SIZE, "DATABASE_POOL_SIZE") ??
      POOL_DEFAULTS.max,
    statementTimeoutMs:
      positiveInteger(param("statement_timeout"), "DATABASE_URL statement_timeout") ??
      positiveInteger(env.DATABASE_STATEMENT_TIMEOUT_MS, "DATABASE_STATEMENT_TIMEOUT_MS") ??
      POOL_DEFAULTS.statementTimeoutMs,
    connectionTimeoutMs:
      (poolTimeoutSeconds === undefined ? undefined : poolTimeoutSeconds * 1000) ??
      positiveInteger(env.DATABASE_CONNECT_TIMEOUT_MS, "DATABASE_CONNECT_TIMEOUT_MS") ??
      POOL_DEFAULTS.connectionTimeoutMs,
  };
  const schema = param("schema");
  if (schema && schema !== "public") settings.schema = schema;
  for (const name of POOL_PARAMETERS) parsed.searchParams.delete(name);
  settings.connectionString = parsed.toString();
  return settings;
}

export interface AdapterOptions {
  /**
   * For the Prisma CLI (migrate deploy, db pull, migrate diff): its schema engine reads catalog
   * columns node-postgres types that @prisma/adapter-pg 6.19 cannot map, and the pool must let the
   * process exit when the command is done.
   */
  forSchemaEngine?: boolean;
}

export function createDriverAdapter(
  url: string,
  env: Record<string, string | undefined> = process.env,
  options: AdapterOptions = {},
): PrismaBetterSQLite3 | PrismaPg {
  const provider = databaseProvider(url);
  if (provider === "sqlite") return new PrismaBetterSQLite3({ url });
  if (provider !== "postgresql") throw new Error("DATABASE_URL must start with file: or postgresql://");
  const settings = poolSettings(url, env);
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    max: settings.max,
    statement_timeout: settings.statementTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    // The search path for an unqualified name in raw SQL (lib/cost/history.server.ts).
    ...(settings.schema ? { options: `-c search_path="${settings.schema.replaceAll('"', '""')}"` } : {}),
    ...(options.forSchemaEngine ? { Client: SchemaEngineClient, allowExitOnIdle: true, idleTimeoutMillis: 50 } : {}),
  });
  return new PrismaPg(pool, {
    schema: settings.schema,
    disposeExternalPool: true,
    // An idle client losing its connection (database restart) is not a crash; the pool replaces it.
    onPoolError: () => {},
  });
}
