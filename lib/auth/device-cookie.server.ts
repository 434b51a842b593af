import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { decryptJson, encryptJson } from "@/lib/crypto/encryption.server";

/**
 * A device cookie (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): issued to a
 * browser when it signs in with a password, sealed with the server's key, naming the account and a
 * random id. A browser that presents a valid one for the account it signs in to is not subject to
 * the account-wide lock (lib/auth/login-throttle.ts), so strangers' failures cannot lock its owner out.
 */
export const DEVICE_COOKIE = "ask_ci_device";
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

const deviceSchema = z.object({
  purpose: z.literal("login-device"),
  username: z.string(),
  id: z.string().min(16).max(64),
  issuedAt: z.number(),
});

export function issueDeviceCookie(username: string, now = Date.now()): string {
  const id = randomBytes(18).toString("base64url");
  return Buffer.from(
    encryptJson({ purpose: "login-device", username: username.toLowerCase(), id, issuedAt: now }),
  ).toString("base64url");
}

/** The device id when the cookie is valid, unexpired and issued for this account; otherwise undefined. */
export function deviceIdFor(cookie: string | undefined, username: string, now = Date.now()): string | undefined {
  if (!cookie || cookie.length > 2048) return undefined;
  try {
    const parsed = deviceSchema.safeParse(decryptJson(Buffer.from(cookie, "base64url").toString("utf8")));
    if (!parsed.success || parsed.data.username !== username.toLowerCase()) return undefined;
    const age = now - parsed.data.issuedAt;
    return age >= 0 && age <= DEVICE_COOKIE_MAX_AGE_SECONDS * 1000 ? parsed.data.id : undefined;
  } catch {
    return undefined;
  }
}
