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
