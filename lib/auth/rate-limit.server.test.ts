import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";
import { failureKeys, LOGIN_LIMITS, type LoginAttempt } from "./login-throttle";

// The login limits' database side. The login action's wiring is tests/integration/login-throttle.test.ts.

let rateLimit: typeof import("./rate-limit.server");
let db: typeof import("@/lib/db.server").db;

beforeAll(async () => {
  useFreshDatabase();
  rateLimit = await import("./rate-limit.server");
  db = (await import("@/lib/db.server")).db;
});

beforeEach(async () => {
  await db.loginFailure.deleteMany();
});

const fromDevice: LoginAttempt = { address: "203.0.113.7", username: "Owner", deviceId: "device-id-0123456789" };

async function failuresByKey() {
  const rows = await db.loginFailure.findMany({ select: { key: true } });
  const counts: Record<string, number> = {};
  for (const { key } of rows) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

describe("recordLoginFailure", () => {
  it("counts one failure against each of the attempt's keys", async () => {
    await rateLimit.recordLoginFailure(fromDevice);
    await rateLimit.recordLoginFailure({ address: "203.0.113.7", username: "owner" });
    expect(await failuresByKey()).toEqual({
      "ip:203.0.113.7": 2,
      "user-ip:owner|203.0.113.7": 2,
      "user:owner": 2,
      "device:device-id-0123456789": 1,
    });
  });

  it("deletes failures older than the window, and only those", async () => {
    const old = new Date(Date.now() - 16 * 60_000);
    const recent = new Date(Date.now() - 14 * 60_000);
    await db.loginFailure.createMany({
      data: [
        { key: "ip:198.51.100.1", createdAt: old },
        { key: "ip:198.51.100.2", createdAt: recent },
      ],
    });
    await rateLimit.recordLoginFailure({ address: "203.0.113.8", username: "x" });
    expect(Object.keys(await failuresByKey()).sort()).toEqual([
      "ip:198.51.100.2",
      "ip:203.0.113.8",
      "user-ip:x|203.0.113.8",
      "user:x",
    ]);
  });
});

describe("clearLoginFailures", () => {
  it("after a success, forgets this address's and this device's failures for the account, not the account-wide count", async () => {
    for (let i = 0; i < 3; i++) await rateLimit.recordLoginFailure(fromDevice);
    await rateLimit.recordLoginFailure({ address: "198.51.100.9", username: "owner" });
    await rateLimit.recordLoginFailure({ address: "203.0.113.7", username: "someone-else" });
    await rateLimit.clearLoginFailures(fromDevice);
    expect(await failuresByKey()).toEqual({
      "ip:203.0.113.7": 4,
      "user:owner": 4,
      "user-ip:owner|198.51.100.9": 1,
      "ip:198.51.100.9": 1,
      "user-ip:someone-else|203.0.113.7": 1,
      "user:someone-else": 1,
    });
  });

  it("without a device cookie, forgets only the account-and-address failures", async () => {
    await rateLimit.recordLoginFailure(fromDevice);
    await rateLimit.clearLoginFailures({ address: "203.0.113.7", username: "owner" });
    expect(await failuresByKey()).toEqual({
      "ip:203.0.113.7": 1,
      "user:owner": 1,
      "device:device-id-0123456789": 1,
    });
  });
});

describe("loginRefused", () => {
  it("names the limit reached within the window, and trusts a device cookie over the account-wide one", async () => {
    const attempt = { address: "203.0.113.50", username: "owner" };
    expect(await rateLimit.loginRefused(attempt)).toBeNull();
    const { account } = failureKeys(attempt);
    await db.loginFailure.createMany({ data: Array.from({ length: LOGIN_LIMITS.account }, () => ({ key: account! })) });
    expect(await rateLimit.loginRefused(attempt)).toBe("account");
    expect(await rateLimit.loginRefused({ ...attempt, deviceId: "device-id-0123456789" })).toBeNull();
    // Once the window has passed they no longer count.
    const now = new Date(Date.now() + 15 * 60_000 + 1000);
    expect(await rateLimit.loginRefused(attempt, now)).toBeNull();
  });
});
