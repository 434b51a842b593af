import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cookieJar } from "@/tests/mock-next-headers";
import { useFreshDatabase } from "@/tests/test-db";
import { signedInAs } from "@/tests/users";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

const FORBIDDEN = "NEXT_HTTP_ERROR_FALLBACK;403";

let authorize: typeof import("./authorize.server");
let db: typeof import("@/lib/db.server").db;

beforeAll(async () => {
  useFreshDatabase();
  authorize = await import("./authorize.server");
  db = (await import("@/lib/db.server")).db;
});

beforeEach(async () => {
  cookieJar.clear();
  await db.auditEvent.deleteMany();
});

const podDelete = { action: "pod.delete", target: { type: "pod", id: "ns/p", name: "p" } } as const;

function request(cookie: string, method = "POST") {
  return new Request("http://localhost/api/x", { method, headers: { cookie, host: "localhost" } });
}

async function auditEntries() {
  return db.auditEvent.findMany({
    select: {
      actorId: true,
      actorName: true,
      action: true,
      targetType: true,
      targetId: true,
      targetName: true,
      result: true,
      message: true,
    },
  });
}

describe("requireRole", () => {
  it("is the user when their role is the one required or above", async () => {
    const { id } = await signedInAs("operator", "olga");
    expect(await authorize.requireRole("viewer")).toMatchObject({ id, username: "olga", role: "operator" });
    expect(await authorize.requireRole("operator", podDelete)).toMatchObject({ id });
    expect(await auditEntries()).toEqual([]);
  });

  it("refuses a lower role with 403 and logs the refused intent as 'denied'", async () => {
    const { id } = await signedInAs("viewer", "vic");
    await expect(authorize.requireRole("operator", podDelete)).rejects.toMatchObject({ digest: FORBIDDEN });
    expect(await auditEntries()).toEqual([
      {
        actorId: id,
        actorName: "vic",
        action: "pod.delete",
        targetType: "pod",
        targetId: "ns/p",
        targetName: "p",
        result: "denied",
        message: "role viewer, needs operator",
      },
    ]);
  });

  it("refuses without an audit entry when no intent is named", async () => {
    await signedInAs("viewer", "val");
    await expect(authorize.requireRole("admin")).rejects.toMatchObject({ digest: FORBIDDEN });
    expect(await auditEntries()).toEqual([]);
  });
});

describe("authorizeRequest", () => {
  it("passes the guard's 401 through, without an audit entry", async () => {
    const result = await authorize.authorizeRequest(request("ask_ci_session=forged"), "viewer", podDelete);
    expect(result.user).toBeUndefined();
    expect(result.error?.status).toBe(401);
    expect(await auditEntries()).toEqual([]);
  });

  it("is the user when their role suffices", async () => {
    const { id, cookie } = await signedInAs("admin", "ada");
    const result = await authorize.authorizeRequest(request(cookie), "admin", podDelete);
    expect(result).toMatchObject({ user: { id, role: "admin" } });
    expect(result.error).toBeUndefined();
    expect(await auditEntries()).toEqual([]);
  });

  it("answers 403 naming the role needed, and logs the refusal", async () => {
    const { id, cookie } = await signedInAs("operator", "oscar");
    const result = await authorize.authorizeRequest(request(cookie), "admin", podDelete);
    expect(result.user).toBeUndefined();
    expect(result.error?.status).toBe(403);
    expect(await result.error?.json()).toEqual({ error: authorize.roleRequiredMessage("admin") });
    expect(authorize.roleRequiredMessage("admin")).toBe("This needs the admin role; ask an admin to change yours.");
    expect(await auditEntries()).toMatchObject([
      {
        actorId: id,
        actorName: "oscar",
        action: "pod.delete",
        result: "denied",
        message: "role operator, needs admin",
      },
    ]);
  });
});
