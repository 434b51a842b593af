import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cookieJar } from "@/tests/mock-next-headers";
import { useFreshDatabase } from "@/tests/test-db";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

let sessions: typeof import("./sessions.server");
let session: typeof import("./session.server");
let db: typeof import("@/lib/db.server").db;

beforeAll(async () => {
  useFreshDatabase();
  sessions = await import("./sessions.server");
  session = await import("./session.server");
  db = (await import("@/lib/db.server")).db;
});

beforeEach(async () => {
  await db.session.deleteMany();
  await db.user.deleteMany();
});

/** A user signed in once: their SessionUser (as a request would see it) and the cookie token. */
async function signIn(username: string, role: "viewer" | "operator" | "admin") {
  const user = await db.user.findFirst({ where: { username } });
  const id = user?.id ?? (await db.user.create({ data: { username, provider: "gitlab", subject: username, role } })).id;
  await session.startSession(id, "gitlab");
  const token = cookieJar.get(session.SESSION_COOKIE)!;
  const actor = (await session.findSessionUser(token))!;
  return { actor, token };
}

describe("revokeSession", () => {
  it("ends the user's own other session: its cookie no longer signs in", async () => {
    const phone = await signIn("vera", "viewer");
    const laptop = await signIn("vera", "viewer");
    const result = await sessions.revokeSession(laptop.actor, phone.actor.sessionId);
    expect(result).toEqual({
      ok: true,
      session: { id: phone.actor.sessionId, userId: phone.actor.id, username: "vera" },
    });
    expect(await session.findSessionUser(phone.token)).toBeNull();
    expect(await session.findSessionUser(laptop.token)).not.toBeNull();
  });

  it("lets an admin end anyone's session", async () => {
    const victim = await signIn("olga", "operator");
    const admin = await signIn("ada", "admin");
    expect((await sessions.revokeSession(admin.actor, victim.actor.sessionId)).ok).toBe(true);
    expect(await session.findSessionUser(victim.token)).toBeNull();
  });

  it("refuses a non-admin someone else's session, as not found, and leaves it working", async () => {
    const other = await signIn("olga", "operator");
    const operator = await signIn("otto", "operator");
    expect(await sessions.revokeSession(operator.actor, other.actor.sessionId)).toEqual({ ok: false });
    expect(await session.findSessionUser(other.token)).not.toBeNull();
    // Exactly what an unknown id answers, so the refusal does not reveal that the session exists.
    expect(await sessions.revokeSession(operator.actor, "no-such-session")).toEqual({ ok: false });
  });
});

describe("listSessions", () => {
  it("lists live sessions only, marks the current one, and never exposes the cookie token", async () => {
    const first = await signIn("vera", "viewer");
    const second = await signIn("vera", "viewer");
    const expired = await signIn("vera", "viewer");
    await db.session.update({ where: { id: expired.actor.sessionId }, data: { expiresAt: new Date(Date.now() - 1) } });
    await signIn("olga", "operator");

    const own = await sessions.listSessions({ userId: second.actor.id }, second.actor.sessionId);
    expect(own.map((s) => s.id).sort()).toEqual([first.actor.sessionId, second.actor.sessionId].sort());
    expect(own.find((s) => s.current)?.id).toBe(second.actor.sessionId);
    expect(own.filter((s) => s.current)).toHaveLength(1);
    expect(JSON.stringify(own)).not.toContain(first.token);
    expect(JSON.stringify(own)).not.toContain(second.token);

    const everyone = await sessions.listSessions({}, second.actor.sessionId);
    expect(everyone.map((s) => s.username).sort()).toEqual(["olga", "vera", "vera"]);
  });
});

describe("listSessions order", () => {
  it("lists the most recently seen session first", async () => {
    const older = await signIn("walt", "viewer");
    const newer = await signIn("walt", "viewer");
    const middle = await signIn("walt", "viewer");
    const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
    await db.session.update({ where: { id: older.actor.sessionId }, data: { lastSeenAt: at(1_000) } });
    await db.session.update({ where: { id: newer.actor.sessionId }, data: { lastSeenAt: at(3_000) } });
    await db.session.update({ where: { id: middle.actor.sessionId }, data: { lastSeenAt: at(2_000) } });
    const listed = await sessions.listSessions({ userId: older.actor.id }, older.actor.sessionId);
    expect(listed.map((s) => s.id)).toEqual([newer.actor.sessionId, middle.actor.sessionId, older.actor.sessionId]);
    expect(listed[0].lastSeenAt).toBe(at(3_000).toISOString());
  });
});
