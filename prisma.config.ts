import { defineConfig } from "prisma/config";
import { PRISMA_SCHEMA_PATHS, databaseProvider, resolveDatabaseUrl } from "./lib/database-url";
import { createDriverAdapter } from "./lib/db/adapter";

// The schema's datasource reads DATABASE_URL; default it to the embedded SQLite file.
const url = (process.env.DATABASE_URL = resolveDatabaseUrl(process.env));

// DATABASE_URL picks the provider: its schema (generated from prisma/schema.prisma for PostgreSQL)
// and its migrations directory beside it. See docs/decisions/011-postgresql-beside-sqlite.md.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: PRISMA_SCHEMA_PATHS[databaseProvider(url) ?? "sqlite"],
  async adapter() {
    return createDriverAdapter(url, process.env, { forSchemaEngine: true });
  },
});
