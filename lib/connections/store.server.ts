import "server-only";
import { db } from "@/lib/db.server";
import { decryptJson, encryptJson } from "@/lib/crypto/encryption.server";
import { toConnectionDto, type ConnectionDto } from "./dto";
import { ConnectionProblemError, problem } from "./problems";
import type { ConnectionCredentials, ConnectionTarget } from "./target";

/** Columns that are safe to hand out; `credentials` is deliberately absent. */
const PUBLIC_COLUMNS = {
  id: true,
  name: true,
  server: true,
  authType: true,
  caFingerprint: true,
  skipTlsVerify: true,
  isDefault: true,
  lastCheckedAt: true,
  lastHealthy: true,
  lastError: true,
  serverVersion: true,
  latencyMs: true,
  archivedAt: true,
} as const;

/** Connections in use; the ones deleted with their history kept only with `withArchived` (cost pages). */
export async function listConnections(options: { withArchived?: boolean } = {}): Promise<ConnectionDto[]> {
  const rows = await db.connection.findMany({
    where: options.withArchived ? {} : { archivedAt: null },
    select: PUBLIC_COLUMNS,
    orderBy: [{ archivedAt: { sort: "asc", nulls: "first" } }, { isDefault: "desc" }, { name: "asc" }],
  });
  return rows.map(toConnectionDto);
}

export async function getConnection(
  id: string,
  options: { withArchived?: boolean } = {},
): Promise<ConnectionDto | null> {
  const row = await db.connection.findFirst({
    where: { id, ...(options.withArchived ? {} : { archivedAt: null }) },
    select: PUBLIC_COLUMNS,
  });
  return row ? toConnectionDto(row) : null;
}

/** The connection in use called `name`; without a name the default one, else the oldest. */
export async function resolveConnection(name?: string | null): Promise<ConnectionDto | null> {
  if (name) {
    const row = await db.connection.findFirst({ where: { name, archivedAt: null }, select: PUBLIC_COLUMNS });
    return row ? toConnectionDto(row) : null;
  }
  const row =
    (await db.connection.findFirst({ where: { isDefault: true, archivedAt: null }, select: PUBLIC_COLUMNS })) ??
    (await db.connection.findFirst({
      where: { archivedAt: null },
      select: PUBLIC_COLUMNS,
      orderBy: { createdAt: "asc" },
    }));
  return row ? toConnectionDto(row) : null;
}

export interface NewConnection {
  name: string;
  target: ConnectionTarget;
  caFingerprint: string | null;
  isDefault?: boolean;
  health?: HealthRecord;
}

export interface HealthRecord {
  checkedAt: Date;
  healthy: boolean;
  error: string | null;
  serverVersion: string | null;
  latencyMs: number | null;
}

/** Stores a connection with its credentials encrypted. The first connection becomes the default. */
export async function createConnection(input: NewConnection): Promise<ConnectionDto> {
  return db.$transaction(async (tx) => {
    if (await tx.connection.findUnique({ where: { name: input.name }, select: { id: true } })) {
      throw new ConnectionProblemError(problem("nameTaken", { name: input.name }, "name"));
    }
    const makeDefault = input.isDefault === true || (await tx.connection.count({ where: { isDefault: true } })) === 0;
    if (makeDefault) await tx.connection.updateMany({ where: { isDefault: true }, data: { isDefault: false } });
    const row = await tx.connection.create({
      data: {
        name: input.name,
        ...targetColumns(input.target, input.caFingerprint),
        isDefault: makeDefault,
        ...(input.health ? healthColumns(input.health) : {}),
      },
      select: PUBLIC_COLUMNS,
    });
    return toConnectionDto(row);
  });
}

export interface ConnectionChanges {
  name?: string;
  target?: { target: ConnectionTarget; caFingerprint: string | null; health?: HealthRecord };
}

export async function updateConnection(id: string, changes: ConnectionChanges): Promise<ConnectionDto> {
  return db.$transaction(async (tx) => {
    const existing = await tx.connection.findFirst({ where: { id, archivedAt: null }, select: { id: true } });
    if (!existing) throw new ConnectionProblemError(problem("notFound"));
    if (changes.name !== undefined) {
      const clash = await tx.connection.findUnique({ where: { name: changes.name }, select: { id: true } });
      if (clash && clash.id !== id)
        throw new ConnectionProblemError(problem("nameTaken", { name: changes.name }, "name"));
    }
    const row = await tx.connection.update({
      where: { id },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.target ? targetColumns(changes.target.target, changes.target.caFingerprint) : {}),
        ...(changes.target?.health ? healthColumns(changes.target.health) : {}),
      },
      select: PUBLIC_COLUMNS,
    });
    return toConnectionDto(row);
  });
}

/** Deletes a connection; when it was the default, the oldest remaining one becomes the default. */
/** What deleting a connection takes with it (job history) or leaves without a cluster (profiles, apply records). */
export interface DeletionImpact {
  jobRecords: number;
  runnerProfiles: number;
  applyRecords: number;
}

export async function deletionImpact(id: string): Promise<DeletionImpact | null> {
  const row = await db.connection.findFirst({
    where: { id, archivedAt: null },
    select: { _count: { select: { jobRecords: true, runnerProfiles: true, applyRecords: true } } },
  });
  return row ? row._count : null;
}

/** "prod (deleted 2026-12-06)", then "prod (deleted 2026-12-06) 2", … : frees the name for a new connection. */
async function archivedName(tx: Pick<typeof db, "connection">, name: string, now: Date): Promise<string> {
  const base = `${name} (deleted ${now.toISOString().slice(0, 10)})`;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base} ${n}`;
    if (!(await tx.connection.findUnique({ where: { name: candidate }, select: { id: true } }))) return candidate;
  }
}

/**
 * Deletes a connection in use. Its runner profiles and apply records stay, without a cluster. Its job
 * history goes with it, unless `keepHistory`: then the row stays as an archive (credentials wiped,
 * renamed to free the name) so the cost pages can still read its jobs.
 */
export async function deleteConnection(
  id: string,
  options: { keepHistory?: boolean; now?: Date } = {},
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const existing = await tx.connection.findFirst({
      where: { id, archivedAt: null },
      select: { name: true, isDefault: true, _count: { select: { jobRecords: true } } },
    });
    if (!existing) return false;
    if (options.keepHistory && existing._count.jobRecords > 0) {
      const now = options.now ?? new Date();
      await tx.connection.update({
        where: { id },
        data: {
          name: await archivedName(tx, existing.name, now),
          archivedAt: now,
          isDefault: false,
          credentials: encryptJson({}),
          lastHealthy: null,
          lastError: null,
        },
      });
    } else {
      await tx.connection.delete({ where: { id } });
    }
    if (existing.isDefault) {
      const next = await tx.connection.findFirst({
        where: { archivedAt: null },
        orderBy: { createdAt: "asc" },
        select: { id: true },
      });
      if (next) await tx.connection.update({ where: { id: next.id }, data: { isDefault: true } });
    }
    return true;
  });
}

export async function setDefaultConnection(id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    if (!(await tx.connection.findFirst({ where: { id, archivedAt: null }, select: { id: true } }))) {
      throw new ConnectionProblemError(problem("notFound"));
    }
    await tx.connection.updateMany({ where: { isDefault: true, NOT: { id } }, data: { isDefault: false } });
    await tx.connection.update({ where: { id }, data: { isDefault: true } });
  });
}

export async function recordHealth(id: string, health: HealthRecord): Promise<void> {
  // updateMany: the connection may have been deleted while its check was running.
  await db.connection.updateMany({ where: { id }, data: healthColumns(health) });
}

/** The decrypted target of a stored connection, for building a client. Server-only by design. */
export async function loadTarget(id: string): Promise<{ target: ConnectionTarget; updatedAt: Date } | null> {
  const row = await db.connection.findFirst({
    where: { id, archivedAt: null },
    select: { server: true, skipTlsVerify: true, authType: true, credentials: true, updatedAt: true },
  });
  if (!row) return null;
  return {
    updatedAt: row.updatedAt,
    target: {
      server: row.server,
      skipTlsVerify: row.skipTlsVerify,
      authType: row.authType === "client-certificate" ? "client-certificate" : "token",
      credentials: decryptJson<ConnectionCredentials>(row.credentials),
    },
  };
}

function targetColumns(target: ConnectionTarget, caFingerprint: string | null) {
  return {
    server: target.server,
    authType: target.authType,
    skipTlsVerify: target.skipTlsVerify,
    caFingerprint,
    credentials: encryptJson(target.credentials),
  };
}

function healthColumns(health: HealthRecord) {
  return {
    lastCheckedAt: health.checkedAt,
    lastHealthy: health.healthy,
    lastError: health.error,
    serverVersion: health.serverVersion,
    latencyMs: health.latencyMs,
  };
}
