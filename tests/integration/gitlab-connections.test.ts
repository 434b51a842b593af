import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { expectOk } from "@/tests/expect-ok";
import { cookieJar as jar } from "@/tests/mock-next-headers";
import { startFakeGitlab, type FakeGitlab } from "@/tests/gitlab-fake";
import { useFreshDatabase, type FreshDatabase } from "@/tests/test-db";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

let gitlab: FakeGitlab;
let database: FreshDatabase;
let actions: typeof import("@/app/(dashboard)/gitlab/actions");
let db: typeof import("@/lib/db.server").db;

const TOKEN = "glpat-s3cr3t-t0ken-for-tests";

beforeAll(async () => {
  database = useFreshDatabase();
  gitlab = await startFakeGitlab("17.11.1-ee");
  gitlab.tokens.set(TOKEN, { username: "root", scopes: ["api", "read_api"], expiresAt: "2099-01-01" });
  gitlab.tokens.set("glpat-readonly", { username: "project_7_bot_ab12", scopes: ["read_api"] });
  db = (await import("@/lib/db.server")).db;
  const session = await import("@/lib/auth/session.server");
  const user = await db.user.create({
    data: { username: "tester", provider: "gitlab", subject: "42", role: "admin" },
  });
  await session.startSession(user.id);
  expect(jar.size).toBe(1);
  (await import("@/lib/gitlab/service.server")).setGitlabClientOptions({
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 1 },
  });
  actions = await import("@/app/(dashboard)/gitlab/actions");
});

afterAll(async () => {
  await gitlab.close();
});

// Each test starts without GitLab connections, profiles or audit entries, signed in as an admin.
beforeEach(async () => {
  await db.runnerProfile.deleteMany();
  await db.gitlabConnection.deleteMany();
  await db.auditEvent.deleteMany();
  await db.user.updateMany({ where: { username: "tester" }, data: { role: "admin" } });
});

/** The connection most tests start from: "demo-gitlab" with the full-scope token. */
async function createDemoGitlab() {
  return expectOk(
    await actions.createGitlabConnectionAction({ name: "demo-gitlab", credentials: { url: gitlab.url, token: TOKEN } }),
  );
}

describe("GitLab connections", () => {
  it("tests a token: version, user, scopes, expiry and what each feature needs", async () => {
    const tested = expectOk(await actions.testGitlabConnectionAction({ url: gitlab.url, token: "glpat-readonly" }));
    expect(tested).toMatchObject({
      version: "17.11.1-ee",
      user: { username: "project_7_bot_ab12" },
      token: { kind: "project", scopes: ["read_api"], expiry: "none" },
    });
    const features = Object.fromEntries(tested.token!.features.map((f) => [f.feature, f.available]));
    expect(features).toEqual({
      watchJobs: true,
      createRunners: false,
      manageRunners: false,
      registerWebhooks: false,
      runPipelines: false,
    });
  });

  it("stores nothing for a token GitLab refuses, and says so", async () => {
    const result = await actions.createGitlabConnectionAction({
      name: "bad",
      credentials: { url: gitlab.url, token: "glpat-wrong" },
    });
    expect(result).toMatchObject({ ok: false, problem: { code: "unauthorized", field: "token" } });
    expect(await db.gitlabConnection.count()).toBe(0);
  });

  it("refuses malformed input with field errors, before contacting GitLab", async () => {
    const before = gitlab.requests.length;
    expect(await actions.createGitlabConnectionAction({ name: "", credentials: { url: "", token: "" } })).toMatchObject(
      {
        ok: false,
        fieldErrors: { name: "nameRequired", url: "urlRequired", token: "tokenRequired" },
      },
    );
    expect(await actions.createGitlabConnectionAction("not an object")).toMatchObject({ ok: false });
    expect(
      await actions.createGitlabConnectionAction({ name: "x", credentials: { url: "http://gitlab.corp", token: "t" } }),
    ).toMatchObject({ ok: false, problem: { code: "notHttps" } });
    expect(gitlab.requests.length).toBe(before);
  });

  it("saves a tested connection with the token encrypted, never in a result or the database file", async () => {
    const created = await actions.createGitlabConnectionAction({
      name: "demo",
      credentials: { url: `${gitlab.url}/`, token: TOKEN },
    });
    const connection = expectOk(created);
    expect(connection).toMatchObject({
      name: "demo",
      url: gitlab.url,
      tokenUser: "root",
      tokenKind: "personal",
      tokenScopes: ["api", "read_api"],
      tokenExpiresAt: "2099-01-01",
      serverVersion: "17.11.1-ee",
      lastHealthy: true,
    });
    const tested = await actions.testStoredGitlabConnectionAction(connection.id);
    expectOk(tested);
    const renamed = await actions.updateGitlabConnectionAction(connection.id, { name: "demo-gitlab" });
    expect(renamed).toMatchObject({ ok: true, value: { name: "demo-gitlab" } });

    const outputs = JSON.stringify([created, tested, renamed]);
    const row = await db.gitlabConnection.findUniqueOrThrow({ where: { id: connection.id } });
    const stored = database.contents();
    for (const form of [TOKEN, Buffer.from(TOKEN).toString("base64")]) {
      expect(outputs).not.toContain(form);
      expect(row.credentials).not.toContain(form);
      expect(stored.includes(form)).toBe(false);
    }
  });

  it("keeps the webhook secret when the token is replaced", async () => {
    const { decryptJson } = await import("@/lib/crypto/encryption.server");
    await createDemoGitlab();
    const row = await db.gitlabConnection.findUniqueOrThrow({ where: { name: "demo-gitlab" } });
    const before = decryptJson<{ webhookSecret: string }>(row.credentials).webhookSecret;
    gitlab.tokens.set("glpat-new", { username: "root", scopes: ["api"] });
    const result = await actions.updateGitlabConnectionAction(row.id, {
      credentials: { url: gitlab.url, token: "glpat-new" },
    });
    expect(result).toMatchObject({ ok: true, value: { tokenScopes: ["api"], tokenExpiresAt: null } });
    const after = decryptJson<{ token: string; webhookSecret: string }>(
      (await db.gitlabConnection.findUniqueOrThrow({ where: { id: row.id } })).credentials,
    );
    expect(after).toMatchObject({ token: "glpat-new", webhookSecret: before });
  });

  it("lets only admins change GitLab links, and audits each change", async () => {
    await createDemoGitlab();
    const refused = await actions.createGitlabConnectionAction({
      name: "bad",
      credentials: { url: gitlab.url, token: "glpat-wrong" },
    });
    expect(refused).toMatchObject({ ok: false });
    await db.user.updateMany({ where: { username: "tester" }, data: { role: "operator" } });
    try {
      await expect(
        actions.createGitlabConnectionAction({ name: "x", credentials: { url: gitlab.url, token: TOKEN } }),
      ).rejects.toThrow();
      expect(await db.gitlabConnection.count({ where: { name: "x" } })).toBe(0);
    } finally {
      await db.user.updateMany({ where: { username: "tester" }, data: { role: "admin" } });
    }
    const logged = (await db.auditEvent.findMany({ orderBy: { at: "asc" } })).map((e) => `${e.action}:${e.result}`);
    expect(logged).toEqual([
      "gitlab-connection.create:ok",
      "gitlab-connection.create:error",
      "gitlab-connection.create:denied",
    ]);
  });

  it("refuses a duplicate name and deletes a connection with the links pointing at it", async () => {
    await createDemoGitlab();
    const duplicate = await actions.createGitlabConnectionAction({
      name: "demo-gitlab",
      credentials: { url: gitlab.url, token: TOKEN },
    });
    expect(duplicate).toMatchObject({ ok: false, problem: { code: "nameTaken" } });
    const row = await db.gitlabConnection.findUniqueOrThrow({ where: { name: "demo-gitlab" } });
    await db.runnerProfile.create({
      data: { name: "p", settings: "{}", gitlabConnectionId: row.id, gitlabRunnerId: 4 },
    });
    expect(await actions.deleteGitlabConnectionAction(row.id)).toEqual({ ok: true, value: null });
    expect(await db.runnerProfile.findUniqueOrThrow({ where: { name: "p" } })).toMatchObject({
      gitlabConnectionId: null,
      gitlabRunnerId: null,
    });
    expect(await actions.deleteGitlabConnectionAction(row.id)).toMatchObject({
      ok: false,
      problem: { code: "connectionNotFound" },
    });
    expect(await actions.deleteGitlabConnectionAction({ evil: true })).toMatchObject({ ok: false });
  });
});
