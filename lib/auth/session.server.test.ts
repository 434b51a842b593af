import { beforeAll, describe, expect, it, vi } from "vitest";
import { cookieJar as jar } from "@/tests/mock-next-headers";
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
