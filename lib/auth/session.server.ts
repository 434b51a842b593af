import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { cookies, headers } from "next/headers";
import { db } from "@/lib/db.server";
import { env } from "@/lib/env.server";
import { clientAddress } from "./client-address.server";
import { SESSION_COOKIE } from "./cookie-name";
import { effectiveRole, type Role } from "./roles";

export { SESSION_COOKIE };

export interface SessionUser {
  id: string;
  username: string;
  displayName: string | null;
  /** "local" (the break-glass password account) or "gitlab". */
  provider: string;
  /** Read from the database on every request, so a role change applies to the user's next request. */
  role: Role;
  /** The stored id (token hash) of the session this request rides on. */
  sessionId: string;
}

export type SessionMethod = "password" | "gitlab";

/** How often a session's last-seen time is written: not on every request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

async function isHttps(): Promise<boolean> {
  const forwarded = (await headers()).get("x-forwarded-proto");
  return forwarded?.split(",")[0]?.trim() === "https";
}

/** Creates a database session and sets its cookie. Only the token's hash is stored. */
export async function startSession(userId: string, method: SessionMethod = "password"): Promise<void> {
  const token = randomBytes(32).toString("base64url");
  const ttlMs = env().SESSION_TTL_HOURS * 3600_000;
  const expiresAt = new Date(Date.now() + ttlMs);
  const requestHeaders = await headers();
  await db.session.create({
    data: {
      id: hashToken(token),
      userId,
      method,
      address: clientAddress(requestHeaders).slice(0, 100),
      userAgent: requestHeaders.get("user-agent")?.slice(0, 300) ?? null,
      expiresAt,
    },
  });
  await db.user.update({ where: { id: userId }, data: { lastLoginAt: new Date() } });
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await isHttps(),
    path: "/",
    expires: expiresAt,
  });
}

/**
 * Looks a session token up; expired sessions are deleted and count as none, and so does a session of
 * a deactivated user. The role is the user's current one, not the one they signed in with.
 */
export async function findSessionUser(token: string | undefined, now = new Date()): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const session = await db.session.findUnique({ where: { id: hashToken(token) }, include: { user: true } });
  if (!session) return null;
  if (session.expiresAt <= now) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  if (session.user.disabledAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  const { user } = session;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    provider: user.provider,
    role: effectiveRole(user),
    sessionId: session.id,
  };
}

export async function currentUser(): Promise<SessionUser | null> {
  return findSessionUser((await cookies()).get(SESSION_COOKIE)?.value);
}

/** Ends the current session; answers who it belonged to (for the audit log), or null. */
export async function endSession(): Promise<SessionUser | null> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  const user = await findSessionUser(token);
  if (token) await db.session.deleteMany({ where: { id: hashToken(token) } });
  jar.delete(SESSION_COOKIE);
  return user;
}
