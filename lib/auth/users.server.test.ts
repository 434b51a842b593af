import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { emptyDatabase, useFreshDatabase } from "@/tests/test-db";
import { gitLabGroupsFrom } from "./group-roles";
import type { GitLabIdentity } from "./oidc/identity";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

let users: typeof import("./users.server");
let db: typeof import("@/lib/db.server").db;

const identity = (subject: string, username: string, claims: Record<string, unknown> = {}): GitLabIdentity => ({
  subject,
  username,
  displayName: null,
  email: null,
  groups: gitLabGroupsFrom(claims),
});

beforeAll(async () => {
  useFreshDatabase();
  users = await import("./users.server");
  db = (await import("@/lib/db.server")).db;
});

// Each test starts with no accounts, sessions or group rules; the ones it needs, it creates.
beforeEach(() => emptyDatabase(db));

describe("GitLab accounts", () => {
  it("are created as viewers on first sign-in and keyed by subject, not name", async () => {
    const first = await users.signInGitLabUser(identity("42", "alice"));
    expect(first).toMatchObject({ ok: true, created: true, user: { role: "viewer", effectiveRole: "viewer" } });
    // Renamed in GitLab: the same account, new name.
    const renamed = await users.signInGitLabUser(identity("42", "alice.smith"));
    expect(renamed).toMatchObject({ ok: true, created: false, user: { username: "alice.smith" } });
    expect(await db.user.count({ where: { provider: "gitlab" } })).toBe(1);
  });

  it("never merge with the local account of the same name", async () => {
    await db.user.create({ data: { username: "admin", provider: "local", subject: "admin", passwordHash: "x" } });
    const result = await users.signInGitLabUser(identity("7", "admin"));
    expect(result).toMatchObject({ ok: true, created: true, user: { provider: "gitlab", effectiveRole: "viewer" } });
  });
});

describe("role changes", () => {
  it("refuse the local account and an admin lowering themselves", async () => {
    const local = await db.user.create({
      data: { username: "admin", provider: "local", subject: "admin", passwordHash: "x" },
    });
    expect(await users.setUserRole("someone", local.id, "viewer")).toEqual({ ok: false, error: "localAccount" });
    const bea = await db.user.create({ data: { username: "bea", provider: "gitlab", subject: "8", role: "admin" } });
    expect(await users.setUserRole(bea.id, bea.id, "operator")).toEqual({ ok: false, error: "self" });
    expect(await users.setUserActive(bea.id, bea.id, false)).toEqual({ ok: false, error: "self" });
    expect(await users.setUserRole("someone", "no-such-user", "admin")).toEqual({ ok: false, error: "notFound" });
  });

  it("deactivation ends every session", async () => {
    const cid = await db.user.create({ data: { username: "cid", provider: "gitlab", subject: "9" } });
    await db.session.create({ data: { id: "s-cid", userId: cid.id, expiresAt: new Date(Date.now() + 3600_000) } });
    expect(await users.setUserActive("admin-id", cid.id, false)).toMatchObject({ ok: true, after: { disabled: true } });
    expect(await db.session.count({ where: { userId: cid.id } })).toBe(0);
    expect(await users.signInGitLabUser(identity("9", "cid"))).toMatchObject({ ok: false, reason: "disabled" });
  });
});

describe("group rules", () => {
  it("apply to everyone at once when added or deleted, from the groups read at sign-in", async () => {
    await users.signInGitLabUser(
      identity("50", "dee", {
        groups: ["platform", "platform/ci"],
        "https://gitlab.org/claims/groups/maintainer": ["platform/ci"],
      }),
    );
    await users.signInGitLabUser(identity("51", "eli", { groups: ["platform/ci"] }));
    const added = await users.addRoleMapping({ groupPath: "platform/ci", minAccess: "maintainer", role: "operator" });
    if (!added.ok) throw new Error("not added");
    const roleOf = async (name: string) => (await users.listUsers()).find((u) => u.username === name)?.effectiveRole;
    expect(await roleOf("dee")).toBe("operator");
    expect(await roleOf("eli")).toBe("viewer");
    expect(await users.addRoleMapping({ groupPath: "platform/ci", minAccess: "maintainer", role: "admin" })).toEqual({
      ok: false,
      error: "duplicate",
    });
    await users.deleteRoleMapping(added.mapping.id);
    expect(await roleOf("dee")).toBe("viewer");
  });
});

describe("accounts, listed and changed", () => {
  const hour = 3600_000;
  const gitlabUser = (username: string, data: Record<string, unknown> = {}) =>
    db.user.create({ data: { username, provider: "gitlab", subject: `s-${username}`, ...data } });

  it("lists the local account first, then by name, with live sessions counted and stored groups read back", async () => {
    const now = new Date();
    await gitlabUser("zed", { groups: JSON.stringify({ member: ["platform"] }), lastLoginAt: new Date(0) });
    const amy = await gitlabUser("amy", { groups: "not json", disabledAt: new Date() });
    await gitlabUser("bob", { groups: "[1]" });
    await db.user.create({
      data: { username: "root", provider: "local", subject: "root", passwordHash: "x", role: "viewer" },
    });
    await db.session.create({ data: { id: "live", userId: amy.id, expiresAt: new Date(now.getTime() + hour) } });
    await db.session.create({ data: { id: "gone", userId: amy.id, expiresAt: new Date(now.getTime() - hour) } });
    const listed = await users.listUsers(now);
    expect(listed.map((u) => [u.username, u.role, u.disabled, u.activeSessions, u.groups])).toEqual([
      ["root", "admin", false, 0, []],
      ["amy", "viewer", true, 1, []],
      ["bob", "viewer", false, 0, []],
      ["zed", "viewer", false, 0, ["platform"]],
    ]);
    expect(listed[3].lastLoginAt).toBe(new Date(0).toISOString());
    expect(listed[1].lastLoginAt).toBeNull();
    expect(await users.findUser(amy.id)).toMatchObject({ username: "amy", activeSessions: 0 });
    expect(await users.findUser("no-such-user")).toBeNull();
  });

  it("changes a role and answers before and after; an admin may keep their own admin role", async () => {
    const eve = await gitlabUser("eve");
    expect(await users.setUserRole("admin-id", eve.id, "operator")).toMatchObject({
      ok: true,
      before: { role: "viewer" },
      after: { role: "operator" },
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: eve.id } })).role).toBe("operator");
    const boss = await gitlabUser("boss", { role: "admin" });
    expect(await users.setUserRole(boss.id, boss.id, "admin")).toMatchObject({ ok: true });
  });

  it("deactivates only that user's sessions, refuses the local account and the unknown, and reactivates", async () => {
    const fay = await gitlabUser("fay");
    const gus = await gitlabUser("gus");
    const local = await db.user.create({
      data: { username: "root", provider: "local", subject: "root", passwordHash: "x" },
    });
    for (const [id, userId] of [
      ["s-fay", fay.id],
      ["s-gus", gus.id],
    ])
      await db.session.create({ data: { id, userId, expiresAt: new Date(Date.now() + hour) } });
    expect(await users.setUserActive("admin-id", local.id, false)).toEqual({ ok: false, error: "localAccount" });
    expect(await users.setUserActive("admin-id", "no-such-user", false)).toEqual({ ok: false, error: "notFound" });
    await users.setUserActive("admin-id", fay.id, false);
    expect(await db.session.count({ where: { userId: gus.id } })).toBe(1);
    await db.session.create({ data: { id: "s-fay-2", userId: fay.id, expiresAt: new Date(Date.now() + hour) } });
    expect(await users.setUserActive("admin-id", fay.id, true)).toMatchObject({ ok: true, after: { disabled: false } });
    expect(await db.session.count({ where: { userId: fay.id } })).toBe(1);
  });

  it("says when a sign-in changed the role the group rules give, and not on a first sign-in", async () => {
    const claims = { groups: ["platform"] };
    expect(await users.signInGitLabUser(identity("70", "hal", claims))).toMatchObject({
      created: true,
      roleChanged: null,
    });
    expect(await users.signInGitLabUser(identity("70", "hal", claims))).toMatchObject({
      created: false,
      roleChanged: null,
    });
    await db.roleMapping.create({ data: { groupPath: "platform", minAccess: "member", role: "operator" } });
    expect(await users.signInGitLabUser(identity("70", "hal", claims))).toMatchObject({
      created: false,
      roleChanged: { from: "viewer", to: "operator" },
    });
  });

  it("lists group rules by group, then by access level", async () => {
    await db.roleMapping.create({ data: { groupPath: "b", minAccess: "member", role: "viewer" } });
    await db.roleMapping.create({ data: { groupPath: "a", minAccess: "owner", role: "admin" } });
    await db.roleMapping.create({ data: { groupPath: "a", minAccess: "developer", role: "operator" } });
    expect((await users.listRoleMappings()).map((m) => `${m.groupPath}/${m.minAccess}/${m.role}`)).toEqual([
      "a/developer/operator",
      "a/owner/admin",
      "b/member/viewer",
    ]);
  });
});
