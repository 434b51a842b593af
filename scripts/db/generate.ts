/**
 * `npm run db:generate` (also run by `npm install`): writes prisma/postgresql/schema.prisma from
 * prisma/schema.prisma, then generates both Prisma clients (lib/generated/prisma for SQLite,
 * lib/generated/prisma-postgresql for PostgreSQL).
 */
import fs from "node:fs";
import { PRISMA_SCHEMA_PATHS } from "../../lib/database-url";
import { postgresqlSchemaOf } from "./postgresql-schema";
import { prismaOrThrow } from "./prisma-cli";

export function writePostgresqlSchema(): boolean {
  const rendered = postgresqlSchemaOf(fs.readFileSync(PRISMA_SCHEMA_PATHS.sqlite, "utf8"));
  const current = fs.existsSync(PRISMA_SCHEMA_PATHS.postgresql)
    ? fs.readFileSync(PRISMA_SCHEMA_PATHS.postgresql, "utf8")
    : "";
  if (current === rendered) return false;
  fs.writeFileSync(PRISMA_SCHEMA_PATHS.postgresql, rendered);
  return true;
}

if (require.main === module) {
  if (writePostgresqlSchema()) console.log(`ask-ci: wrote ${PRISMA_SCHEMA_PATHS.postgresql}`);
  for (const schema of [PRISMA_SCHEMA_PATHS.sqlite, PRISMA_SCHEMA_PATHS.postgresql]) {
    // generate never connects; the URL only satisfies the schema's env("DATABASE_URL").
    process.stdout.write(prismaOrThrow(["generate", "--schema", schema], "file:/dev/null"));
  }
}
