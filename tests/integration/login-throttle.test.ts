import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { LOGIN_LIMITS } from "@/lib/auth/login-throttle";
import { cookieJar, requestHeaders } from "@/tests/mock-next-headers";
import { useFreshDatabase } from "@/tests/test-db";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

// The login server action as the form calls it. The client address is what server/server.ts
// leaves in X-Forwarded-For (lib/http/forwarded.ts, tested on its own), set per attempt here.

let login: typeof import("@/app/login/actions").login;
let db: typeof import("@/lib/db.server").db;
let DEVICE_COOKIE: string;

type Outcome = "signed-in" | "invalid" | "rateLimited";

/** One sign-in from `address`, in a browser whose cookies are `browser` (kept between calls). */
async function attempt(username: string, password: string, address: string, browser: Map<string, string>) {
  requestHeaders.set("x-forwarded-for", address);
  cookieJar.clear();
  for (const [name, value] of browser) cookieJar.set(name, value);
  const form = new FormData();
  form.set("username", username);
  form.set("password", password);
  let outcome: Outcome;
  try {
    const state = await login({}, form);
    outcome = state.error ?? "invalid";
  } catch (error) {
    if (!String((error as { digest?: string }).digest).startsWith("NEXT_REDIRECT")) throw error;
    outcome = "signed-in";
  }
  for (const [name, value] of cookieJar) browser.set(name, value);
  return outcome;
}

beforeAll(async () => {
  useFreshDatabase();
  db = (await import("@/lib/db.server")).db;
  login = (await import("@/app/login/actions")).login;
  DEVICE_COOKIE = (await import("@/lib/auth/device-cookie.server")).DEVICE_COOKIE;
  const { hashPassword } = await import("@/lib/auth/password.server");
  for (const username of ["owner", "other", "roamer", "sprayed"]) {
    await db.user.create({
      data: {
        username,
        provider: "local",
        subject: username,
        role: "admin",
        passwordHash: await hashPassword("right-pw"),
      },
    });
  }
});

beforeEach(async () => {
  await db.loginFailure.deleteMany();
});

describe("strangers cannot lock an account", () => {
  it("failures from many addresses do not refuse the owner's browser, which signed in before", async () => {
    const owners = new Map<string, string>();
    expect(await attempt("owner", "right-pw", "198.51.100.10", owners)).toBe("signed-in");
    expect(owners.has(DEVICE_COOKIE)).toBe(true);

    for (let i = 0; i < LOGIN_LIMITS.account * 3; i++) {
      const expected = i < LOGIN_LIMITS.account ? "invalid" : "rateLimited";
      expect(await attempt("owner", "guess", `203.0.113.${i}`, new Map())).toBe(expected);
    }
    // The attack goes on being refused for unrecognised browsers…
    expect(await attempt("owner", "right-pw", "203.0.113.250", new Map())).toBe("rateLimited");
    // …and the owner's browser still signs in, from its usual address or a new one.
    expect(await attempt("owner", "right-pw", "198.51.100.10", owners)).toBe("signed-in");
    expect(await attempt("owner", "right-pw", "192.0.2.77", owners)).toBe("signed-in");
  });

  it("failures from one address lock the account on that address only", async () => {
    for (let i = 0; i < LOGIN_LIMITS.accountAndAddress; i++) {
      expect(await attempt("other", "guess", "203.0.113.5", new Map())).toBe("invalid");
    }
    expect(await attempt("other", "right-pw", "203.0.113.5", new Map())).toBe("rateLimited");
    // Even a browser with no history signs in from anywhere else.
    expect(await attempt("other", "right-pw", "198.51.100.20", new Map())).toBe("signed-in");
  });

  it("a device cookie is no licence to guess: it is distrusted after its own failures", async () => {
    const stolen = new Map<string, string>();
    expect(await attempt("roamer", "right-pw", "198.51.100.30", stolen)).toBe("signed-in");
    for (let i = 0; i < LOGIN_LIMITS.device; i++) {
      expect(await attempt("roamer", "guess", `203.0.113.${100 + i}`, new Map(stolen))).toBe("invalid");
    }
    // Past the account-wide limit too, so the account-wide refusal would apply without the cookie.
    for (let i = 0; i < LOGIN_LIMITS.account; i++) await attempt("roamer", "guess", `203.0.114.${i}`, new Map());
    expect(await attempt("roamer", "right-pw", "203.0.113.200", new Map(stolen))).toBe("rateLimited");
  });

  it("a device cookie of another account does not help", async () => {
    const browser = new Map<string, string>();
    expect(await attempt("other", "right-pw", "198.51.100.40", browser)).toBe("signed-in");
    for (let i = 0; i < LOGIN_LIMITS.account; i++) await attempt("owner", "guess", `203.0.115.${i}`, new Map());
    expect(await attempt("owner", "right-pw", "198.51.100.40", browser)).toBe("rateLimited");
  });
});

describe("an address trying many accounts", () => {
  it("is refused after the address limit, for every account, while others are not", async () => {
    for (let i = 0; i < LOGIN_LIMITS.address; i++) {
      await attempt(`user${i}`, "guess", "203.0.113.66", new Map());
    }
    expect(await attempt("sprayed", "right-pw", "203.0.113.66", new Map())).toBe("rateLimited");
    expect(await attempt("sprayed", "right-pw", "203.0.113.67", new Map())).toBe("signed-in");
  });
});

describe("the window", () => {
  it("forgets failures older than 15 minutes", async () => {
    const { loginRefused } = await import("@/lib/auth/rate-limit.server");
    for (let i = 0; i < LOGIN_LIMITS.accountAndAddress; i++) await attempt("other", "guess", "203.0.113.9", new Map());
    const attemptNow = { address: "203.0.113.9", username: "other" };
    expect(await loginRefused(attemptNow)).toBe("accountAndAddress");
    expect(await loginRefused(attemptNow, new Date(Date.now() + 16 * 60_000))).toBeNull();
  });
});
