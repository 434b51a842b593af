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
} as const;

export async function listConnections(): Promise<ConnectionDto[]> {
  const rows = await db.connection.findMany({
    select: PUBLIC_COLUMNS,
    orderBy: [{ isDefault: "desc" }, { name: "asc" }],
  });
  return rows.map(toConnectionDto);
}

export async function getConnection(id: string): Promise<ConnectionDto | null> {
  const row = await db.connection.findUnique({ where: { id }, select: PUBLIC_COLUMNS });
  return row ? toConnectionDto(row) : null;
}

/** The connection called `name`; without a name the default one, else the oldest. */
export async function resolveConnection(name?: string | null): Promise<ConnectionDto | null> {
  if (name) {
    const row = await db.connection.findUnique({ where: { name }, select: PUBLIC_COLUMNS });
    return row ? toConnectionDto(row) : null;
  }
  const row =
    (await db.connection.findFirst({ where: { isDefault: true }, select: PUBLIC_COLUMNS })) ??
    (await db.connection.findFirst({ select: PUBLIC_COLUMNS, orderBy: { createdAt: "asc" } }));
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
    const existing = await tx.connection.findUnique({ where: { id }, select: { id: true } });
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
export async function deleteConnection(id: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const existing = await tx.connection.findUnique({ where: { id }, select: { isDefault: true } });
    if (!existing) return false;
    await tx.connection.delete({ where: { id } });
    if (existing.isDefault) {
      const next = await tx.connection.findFirst({ orderBy: { createdAt: "asc" }, select: { id: true } });
      if (next) await tx.connection.update({ where: { id: next.id }, data: { isDefault: true } });
    }
    return true;
  });
}

export async function setDefaultConnection(id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    if (!(await tx.connection.findUnique({ where: { id }, select: { id: true } }))) {
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
  const row = await db.connection.findUnique({
    where: { id },
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
