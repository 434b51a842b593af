import "server-only";
import { z } from "zod";
import { readSetting, writeSetting } from "@/lib/app-settings.server";
import { db } from "@/lib/db.server";
import { describeDatabaseError } from "@/lib/db/error-description";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AUDIT_PAGE_SIZE, auditTimeRange, type AuditFilter } from "./filters";

export interface AuditEventDto {
  id: string;
  at: string;
  actorName: string;
  address: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  result: string;
  message: string | null;
}

function where(filter: Omit<AuditFilter, "page">): Prisma.AuditEventWhereInput {
  const at = auditTimeRange(filter);
  return {
    actorName: filter.user || undefined,
    action: filter.action || undefined,
    result: filter.result || undefined,
    at: at.gte || at.lt ? at : undefined,
  };
}

function toDto(row: Awaited<ReturnType<typeof db.auditEvent.findFirstOrThrow>>): AuditEventDto {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actorName: row.actorName,
    address: row.address,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    targetName: row.targetName,
    result: row.result,
    message: row.message,
  };
}

/** One page of entries, newest first, with the total that match. */
export async function listAuditEvents(
  filter: AuditFilter,
): Promise<{ events: AuditEventDto[]; total: number; page: number; pages: number }> {
  const condition = where(filter);
  const total = await db.auditEvent.count({ where: condition });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(filter.page, pages);
  const rows = await db.auditEvent.findMany({
    where: condition,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    skip: (page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
  });
  return { events: rows.map(toDto), total, page, pages };
}

/** Every matching entry, newest first, in batches (for the CSV export). */
export async function* auditEventsForExport(
  filter: Omit<AuditFilter, "page">,
  maxRows: number,
  batch = 1000,
): AsyncGenerator<AuditEventDto[]> {
  const condition = where(filter);
  let cursor: string | undefined;
  for (let sent = 0; sent < maxRows;) {
    const rows = await db.auditEvent.findMany({
      where: condition,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: Math.min(batch, maxRows - sent),
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    if (rows.length === 0) return;
    sent += rows.length;
    cursor = rows[rows.length - 1].id;
    yield rows.map(toDto);
  }
}

/** The names and actions present, for the filter lists. */
export async function auditFilterChoices(): Promise<{ users: string[]; actions: string[] }> {
  const [users, actions] = await Promise.all([
    db.auditEvent.findMany({
      distinct: ["actorName"],
      select: { actorName: true },
      orderBy: { actorName: "asc" },
      take: 1000,
    }),
    db.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
  ]);
  return { users: users.map((row) => row.actorName), actions: actions.map((row) => row.action) };
}

export const DEFAULT_AUDIT_RETENTION_DAYS = 180;
export const auditRetentionSchema = z.coerce.number().int().min(1).max(3650);
const RETENTION_KEY = "audit.retentionDays";

export function auditRetentionDays(): Promise<number> {
  return readSetting(RETENTION_KEY, auditRetentionSchema, DEFAULT_AUDIT_RETENTION_DAYS);
}

export async function setAuditRetentionDays(days: number): Promise<void> {
  await writeSetting(RETENTION_KEY, days);
}

/** Deletes entries older than the retention; answers how many went. */
export async function pruneAuditLog(now = new Date()): Promise<number> {
  const days = await auditRetentionDays();
  const { count } = await db.auditEvent.deleteMany({
    where: { at: { lt: new Date(now.getTime() - days * 86_400_000) } },
  });
  return count;
}

const PRUNE_EVERY_MS = 6 * 3600_000;
let pruning: NodeJS.Timeout | undefined;

/** Prunes at start and every six hours; idempotent, so several replicas doing it is harmless. */
export function startAuditRetention(): void {
  if (pruning) return;
  const run = () =>
    void pruneAuditLog().catch((error: unknown) =>
      console.error(`ask-ci: audit log retention failed: ${describeDatabaseError(error)}`),
    );
  run();
  pruning = setInterval(run, PRUNE_EVERY_MS);
  pruning.unref();
}
