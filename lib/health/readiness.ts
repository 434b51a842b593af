import fs from "node:fs";
import path from "node:path";

export type NotReadyReason = "shutting-down" | "database-unreachable" | "not-migrated";
export type Readiness = { ready: true } | { ready: false; reason: NotReadyReason };

/** The migrations a provider's history holds (directory names), as `prisma migrate deploy` applies them. */
export function expectedMigrations(migrationsDir: string): string[] {
  try {
    return fs
      .readdirSync(migrationsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(migrationsDir, entry.name, "migration.sql")))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/** Ready when every expected migration is applied; applied ones we do not know (a newer replica's) are fine. */
export function migrated(expected: readonly string[], applied: readonly string[]): boolean {
  const done = new Set(applied);
  return expected.every((name) => done.has(name));
}

/** The promise's value, or `onTimeout` after `ms` (a probe must answer even when the database hangs). */
export async function within<T>(promise: Promise<T>, ms: number, onTimeout: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
