import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createPrismaClient } from "./db/client";
import { env } from "./env.server";

const globalForPrisma = globalThis as unknown as { askCiPrisma?: PrismaClient };

/** One client per process (SQLite or PostgreSQL by DATABASE_URL); survives `next dev` hot reloads. */
export const db: PrismaClient = (globalForPrisma.askCiPrisma ??= createPrismaClient(env().databaseUrl));
