/**
 * prisma/postgresql/schema.prisma is generated from prisma/schema.prisma (the one that is edited):
 * the same models, the postgresql provider, its own client output. Pure, so it is tested and the
 * committed copy can be checked against it.
 */
export const POSTGRESQL_SCHEMA_HEADER =
  "// GENERATED from prisma/schema.prisma by `npm run db:generate`: edit that file, not this one.\n" +
  "// See docs/database.md for how to add a migration.\n\n";

export function postgresqlSchemaOf(sqliteSchema: string): string {
  const datasource = /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/;
  const output = /(generator\s+client\s*\{[^}]*?output\s*=\s*)"\.\.\/lib\/generated\/prisma"/;
  if (!datasource.test(sqliteSchema))
    throw new Error('prisma/schema.prisma: datasource db with provider "sqlite" not found');
  if (!output.test(sqliteSchema)) {
    throw new Error('prisma/schema.prisma: generator client with output "../lib/generated/prisma" not found');
  }
  return (
    POSTGRESQL_SCHEMA_HEADER +
    sqliteSchema.replace(datasource, '$1"postgresql"').replace(output, '$1"../../lib/generated/prisma-postgresql"')
  );
}
