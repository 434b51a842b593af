import "server-only";
import { db } from "@/lib/db.server";
import { hasRole } from "./roles";
import type { SessionUser } from "./session.server";

export interface SessionDto {
  /** The stored id (a hash of the cookie token, which never leaves the browser). */
  id: string;
  userId: string;
  username: string;
  method: string;
  address: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  /** The session this page was requested with. */
  current: boolean;
}

/** Live sessions, newest first: one user's, or everyone's (for an admin). */
export async function listSessions(
  filter: { userId?: string },
  currentSessionId: string,
  now = new Date(),
): Promise<SessionDto[]> {
  const rows = await db.session.findMany({
    where: { userId: filter.userId, expiresAt: { gt: now } },
    include: { user: { select: { username: true } } },
    orderBy: { lastSeenAt: "desc" },
    take: 500,
  });
  return rows.map((row) => ({
    id: row.id,
    userId: row.userId,
    username: row.user.username,
    method: row.method,
    address: row.address,
    userAgent: row.userAgent,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    current: row.id === currentSessionId,
  }));
}

export type RevokeResult = { ok: true; session: { id: string; userId: string; username: string } } | { ok: false };

/**
 * Ends a session: a user may end their own, an admin anyone's. Someone else's session is "not found"
 * for a non-admin, so its existence is not revealed.
 */
export async function revokeSession(actor: SessionUser, sessionId: string): Promise<RevokeResult> {
  const row = await db.session.findUnique({
    where: { id: sessionId },
    include: { user: { select: { username: true } } },
  });
  if (!row) return { ok: false };
  if (row.userId !== actor.id && !hasRole(actor.role, "admin")) return { ok: false };
  await db.session.deleteMany({ where: { id: sessionId } });
  return { ok: true, session: { id: row.id, userId: row.userId, username: row.user.username } };
}
