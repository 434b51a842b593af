import { beforeAll, describe, expect, it, vi } from "vitest";
import { cookieJar as jar, cookieOptions, requestHeaders } from "@/tests/mock-next-headers";
import { useFreshDatabase } from "@/tests/test-db";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

let session: typeof import("./session.server");
let passwords: typeof import("./password.server");
let db: typeof import("@/lib/db.server").db;

beforeAll(async () => {
  useFreshDatabase();
  session = await import("./session.server");
  passwords = await import("./password.server");
  db = (await import("@/lib/db.server")).db;
});

describe("passwords", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const hash = await passwords.hashPassword("correct horse");
    expect(hash).not.toContain("correct horse");
    expect(await passwords.verifyPassword("correct horse", hash)).toBe(true);
    expect(await passwords.verifyPassword("correct horse ", hash)).toBe(false);
    expect(await passwords.verifyPassword("anything", "garbage")).toBe(false);
  });
});

describe("sessions", () => {
  it("start, resolve to the user, and end on logout", async () => {
    const user = await db.user.create({ data: { username: "alice", subject: "alice", passwordHash: "x" } });
    await session.startSession(user.id);
    const token = jar.get(session.SESSION_COOKIE)!;
    expect(token).toBeTruthy();
    expect(await session.currentUser()).toMatchObject({ id: user.id, username: "alice", role: "admin" });
    // Only a hash of the token is stored.
    expect(await db.session.count({ where: { id: token } })).toBe(0);

    await session.endSession();
    expect(jar.has(session.SESSION_COOKIE)).toBe(false);
    expect(await session.findSessionUser(token)).toBeNull();
  });

  it("expire", async () => {
    const user = await db.user.create({ data: { username: "bob", subject: "bob", passwordHash: "x" } });
    await session.startSession(user.id);
    const token = jar.get(session.SESSION_COOKIE)!;
    const later = new Date(Date.now() + 13 * 3600_000);
    expect(await session.findSessionUser(token, later)).toBeNull();
    expect(await session.findSessionUser(token)).toBeNull();
  });

  it("carry the user's current role, so a role change applies to their next request", async () => {
    const user = await db.user.create({
      data: { username: "gina", provider: "gitlab", subject: "101", role: "viewer" },
    });
    await session.startSession(user.id, "gitlab");
    const token = jar.get(session.SESSION_COOKIE)!;
    expect((await session.findSessionUser(token))?.role).toBe("viewer");
    await db.user.update({ where: { id: user.id }, data: { role: "operator" } });
    expect((await session.findSessionUser(token))?.role).toBe("operator");
    await db.user.update({ where: { id: user.id }, data: { role: "viewer", groupRole: "admin" } });
    expect((await session.findSessionUser(token))?.role).toBe("admin");
  });

  it("record how and from where they were started", async () => {
    const user = await db.user.create({ data: { username: "hal", provider: "gitlab", subject: "102" } });
    await session.startSession(user.id, "gitlab");
    const stored = await db.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored).toMatchObject({ method: "gitlab" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).not.toBeNull();
  });

  it("end for a deactivated user", async () => {
    const user = await db.user.create({ data: { username: "ivy", provider: "gitlab", subject: "103" } });
    await session.startSession(user.id, "gitlab");
    const token = jar.get(session.SESSION_COOKIE)!;
    expect(await session.findSessionUser(token)).not.toBeNull();
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await session.findSessionUser(token)).toBeNull();
  });

  it("refuse unknown and absurd tokens", async () => {
    expect(await session.findSessionUser(undefined)).toBeNull();
    expect(await session.findSessionUser("nope")).toBeNull();
    expect(await session.findSessionUser("x".repeat(10_000))).toBeNull();
  });
});

describe("session cookies and rows", () => {
  const newUser = (username: string) =>
    db.user.create({ data: { username, provider: "gitlab", subject: `s-${username}` } });
  const tokenOf = () => jar.get(session.SESSION_COOKIE)!;

  it("sets an httpOnly, same-site lax cookie for the whole site, expiring with the session", async () => {
    const user = await newUser("jo");
    await session.startSession(user.id);
    const stored = await db.session.findUniqueOrThrow({ where: { id: session.hashToken(tokenOf()) } });
    expect(stored.method).toBe("password");
    expect(cookieOptions.get(session.SESSION_COOKIE)).toEqual({
      httpOnly: true,
      sameSite: "lax",
      secure: false,
      path: "/",
      expires: stored.expiresAt,
    });
  });

  it("marks the cookie secure when the first X-Forwarded-Proto entry is https", async () => {
    const user = await newUser("kim");
    try {
      requestHeaders.set("x-forwarded-proto", " https , http");
      await session.startSession(user.id);
      expect(cookieOptions.get(session.SESSION_COOKIE)?.secure).toBe(true);
      requestHeaders.set("x-forwarded-proto", "http, https");
      await session.startSession(user.id);
      expect(cookieOptions.get(session.SESSION_COOKIE)?.secure).toBe(false);
    } finally {
      requestHeaders.delete("x-forwarded-proto");
    }
  });

  it("stores at most 300 characters of the user agent, and none when there is none", async () => {
    const user = await newUser("lee");
    try {
      requestHeaders.set("user-agent", "A".repeat(400));
      await session.startSession(user.id);
      const long = await db.session.findUniqueOrThrow({ where: { id: session.hashToken(tokenOf()) } });
      expect(long.userAgent).toBe("A".repeat(300));
    } finally {
      requestHeaders.delete("user-agent");
    }
    await session.startSession(user.id);
    const none = await db.session.findUniqueOrThrow({ where: { id: session.hashToken(tokenOf()) } });
    expect(none.userAgent).toBeNull();
  });

  it("ends at its expiry instant and deletes only the expired session", async () => {
    const user = await newUser("max");
    await session.startSession(user.id);
    const other = tokenOf();
    await session.startSession(user.id);
    const token = tokenOf();
    const { expiresAt } = await db.session.findUniqueOrThrow({ where: { id: session.hashToken(token) } });
    await db.session.update({
      where: { id: session.hashToken(other) },
      data: { expiresAt: new Date(expiresAt.getTime() + 3600_000) },
    });
    expect(await session.findSessionUser(token, new Date(expiresAt.getTime() - 1))).not.toBeNull();
    expect(await session.findSessionUser(token, expiresAt)).toBeNull();
    expect(await db.session.count({ where: { id: session.hashToken(token) } })).toBe(0);
    expect(await db.session.count({ where: { id: session.hashToken(other) } })).toBe(1);
  });

  it("writes last-seen once a minute, on that session only", async () => {
    const user = await newUser("ned");
    await session.startSession(user.id);
    const other = tokenOf();
    await session.startSession(user.id);
    const token = tokenOf();
    const row = (t: string) => db.session.findUniqueOrThrow({ where: { id: session.hashToken(t) } });
    const seen = (await row(token)).lastSeenAt;
    const otherSeen = (await row(other)).lastSeenAt;
    await session.findSessionUser(token, new Date(seen.getTime() + 60_000));
    expect((await row(token)).lastSeenAt).toEqual(seen);
    const later = new Date(seen.getTime() + 60_001);
    await session.findSessionUser(token, later);
    expect((await row(token)).lastSeenAt).toEqual(later);
    expect((await row(other)).lastSeenAt).toEqual(otherSeen);
  });

  it("logs out only its own session, and without a cookie ends nothing", async () => {
    const user = await newUser("oz");
    await session.startSession(user.id);
    const other = tokenOf();
    await session.startSession(user.id);
    expect(await session.endSession()).toMatchObject({ username: "oz" });
    expect(await db.session.count({ where: { id: session.hashToken(other) } })).toBe(1);
    const before = await db.session.count();
    expect(await session.endSession()).toBeNull();
    expect(await db.session.count()).toBe(before);
    expect(await session.currentUser()).toBeNull();
  });
});
