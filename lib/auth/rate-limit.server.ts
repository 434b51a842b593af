import "server-only";
import { db } from "@/lib/db.server";

const WINDOW_MS = 15 * 60_000;
/** Failures tolerated per window before login is refused: per account, and per client address. */
export const LIMITS = { user: 5, ip: 20 } as const;

function keys(ip: string, username: string) {
  return { ip: `ip:${ip}`, user: `user:${username.toLowerCase()}` };
}

export async function isLoginBlocked(ip: string, username: string, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - WINDOW_MS);
  const { ip: ipKey, user: userKey } = keys(ip, username);
  const [byIp, byUser] = await Promise.all([
    db.loginFailure.count({ where: { key: ipKey, createdAt: { gt: since } } }),
    db.loginFailure.count({ where: { key: userKey, createdAt: { gt: since } } }),
  ]);
  return byIp >= LIMITS.ip || byUser >= LIMITS.user;
}

export async function recordLoginFailure(ip: string, username: string): Promise<void> {
  const { ip: ipKey, user: userKey } = keys(ip, username);
  await db.loginFailure.createMany({ data: [{ key: ipKey }, { key: userKey }] });
  await db.loginFailure.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - WINDOW_MS) } } });
}

export async function clearLoginFailures(username: string): Promise<void> {
  await db.loginFailure.deleteMany({ where: { key: `user:${username.toLowerCase()}` } });
}
