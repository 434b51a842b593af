import "server-only";
import { db } from "@/lib/db.server";
import { failureKeys, LOGIN_WINDOW_MS, loginRefusal, type FailureCounter, type LoginAttempt } from "./login-throttle";

/** Which limit refuses this attempt now (lib/auth/login-throttle.ts), or null to go ahead. */
export async function loginRefused(attempt: LoginAttempt, now = new Date()): Promise<FailureCounter | null> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const keys = Object.entries(failureKeys(attempt)) as Array<[FailureCounter, string]>;
  const counts = await Promise.all(
    keys.map(async ([counter, key]) => [
      counter,
      await db.loginFailure.count({ where: { key, createdAt: { gt: since } } }),
    ]),
  );
  return loginRefusal(Object.fromEntries(counts), attempt.deviceId !== undefined);
}

export async function recordLoginFailure(attempt: LoginAttempt): Promise<void> {
  await db.loginFailure.createMany({ data: Object.values(failureKeys(attempt)).map((key) => ({ key })) });
  await db.loginFailure.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - LOGIN_WINDOW_MS) } } });
}

/** After a success: this address and device start afresh for the account; the account-wide count stays. */
export async function clearLoginFailures(attempt: LoginAttempt): Promise<void> {
  const keys = failureKeys(attempt);
  const cleared = [keys.accountAndAddress, keys.device].filter((key): key is string => key !== undefined);
  await db.loginFailure.deleteMany({ where: { key: { in: cleared } } });
}
