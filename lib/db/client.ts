import { PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/prisma-postgresql/client";
import { databaseProvider } from "@/lib/database-url";
import { createDriverAdapter } from "./adapter";

/**
 * A Prisma client for DATABASE_URL. Both generated clients come from one schema
 * (prisma/postgresql/schema.prisma is generated from prisma/schema.prisma), so their model APIs are
 * the same; code is typed against the SQLite client, the narrower of the two (no
 * `mode: "insensitive"`, no `skipDuplicates`), and therefore runs on both.
 */
export function createPrismaClient(url: string, env: Record<string, string | undefined> = process.env): PrismaClient {
  const adapter = createDriverAdapter(url, env);
  if (databaseProvider(url) === "postgresql") {
    return new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
  }
  return new PrismaClient({ adapter });
}
