import { timingSafeEqual } from "node:crypto";

/** Whether a /metrics request may read: always without a configured token, else only with that bearer token. */
export function metricsAllowed(authorization: string | null, token: string | undefined): boolean {
  if (!token) return true;
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
  if (!match) return false;
  const given = Buffer.from(match[1].trim());
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
