import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { PRISMA_SCHEMA_PATHS } from "@/lib/database-url";
import { POSTGRESQL_SCHEMA_HEADER, postgresqlSchemaOf } from "./postgresql-schema";

const sqlite = `generator client {
  provider   = "prisma-client"
  output     = "../lib/generated/prisma"
  engineType = "client"
}

datasource db {
  provider = "sqlite"
  url      = env("DATABASE_URL")
}

model A {
  id String @id // provider = "sqlite" in a comment stays
}
`;

describe("postgresqlSchemaOf", () => {
  it("swaps the provider and the client's output, nothing else", () => {
    const rendered = postgresqlSchemaOf(sqlite);
    expect(rendered.startsWith(POSTGRESQL_SCHEMA_HEADER)).toBe(true);
    expect(rendered.slice(POSTGRESQL_SCHEMA_HEADER.length)).toBe(
      sqlite
        .replace('provider = "sqlite"\n  url', 'provider = "postgresql"\n  url')
        .replace('"../lib/generated/prisma"', '"../../lib/generated/prisma-postgresql"'),
    );
    expect(rendered).toContain('// provider = "sqlite" in a comment stays');
  });

  it("refuses a schema it does not recognise rather than writing a wrong one", () => {
    expect(() => postgresqlSchemaOf(sqlite.replace('"sqlite"', '"mysql"'))).toThrow(/provider "sqlite"/);
    expect(() => postgresqlSchemaOf(sqlite.replace("../lib/generated/prisma", "../x"))).toThrow(/output/);
  });

  it("matches the committed prisma/postgresql/schema.prisma (run `npm run db:generate` when this fails)", () => {
    expect(fs.readFileSync(PRISMA_SCHEMA_PATHS.postgresql, "utf8")).toBe(
      postgresqlSchemaOf(fs.readFileSync(PRISMA_SCHEMA_PATHS.sqlite, "utf8")),
    );
  });
});
