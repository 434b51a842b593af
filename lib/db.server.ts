import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "./env.server";

const globalForPrisma = globalThis as unknown as { askCiPrisma?: PrismaClient };

function createClient(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: env().databaseUrl }) });
}

/** One client per process; survives `next dev` hot reloads. */
export const db: PrismaClient = (globalForPrisma.askCiPrisma ??= createClient());
