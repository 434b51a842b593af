import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cookieJar as jar } from "@/tests/mock-next-headers";
import { startTestOidcProvider, type TestOidcProvider, type TestUser } from "@/tests/oidc-test-provider";
import { useFreshDatabase } from "@/tests/test-db";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

const CLIENT = { id: "ask-ci-test", secret: "test-client-secret-value" };
const REDIRECT = "http://127.0.0.1:3999/login/gitlab/callback";

let provider: TestOidcProvider;
let oidc: import("./gitlab-oidc.server").GitLabOidc;
let signIn: typeof import("./sign-in.server");
let request: typeof import("./sign-in-request.server");
let db: typeof import("@/lib/db.server").db;

const alice: TestUser = {
  sub: "1001",
  username: "alice",
  name: "Alice Example",
  email: "alice@example.test",
  groups: ["platform", "platform/ci"],
  maintainerOf: ["platform/ci"],
};

beforeAll(async () => {
  useFreshDatabase();
  provider = await startTestOidcProvider(CLIENT);
  signIn = await import("./sign-in.server");
  request = await import("./sign-in-request.server");
  db = (await import("@/lib/db.server")).db;
});

afterAll(async () => {
  await provider?.stop();
});

// Each test starts without users, sessions, group mappings or audit entries, whatever ran before it.
// A client per test, so each test runs the discovery and the client's checks it configures
// (signature verification, http only for this machine) rather than one test's cached result.
beforeEach(async () => {
  const { createGitLabOidc } = await import("./gitlab-oidc.server");
  oidc = createGitLabOidc({
    issuer: provider.issuer,
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    scopes: "openid profile email",
  });
  jar.clear();
  await db.auditEvent.deleteMany();
  await db.session.deleteMany();
  await db.user.deleteMany();
  await db.roleMapping.deleteMany();
});

/** Starts a sign-in as /login/gitlab does, and lets the user through at the provider. */
async function startAndAuthorize(user: TestUser, returnTo = "/monitor") {
  const { url, pending } = await oidc.begin(REDIRECT, returnTo);
  const sealed = request.sealPendingSignIn(pending);
  return { url, pending, sealed, query: provider.authorize(url, user) };
}

async function latestAudit() {
  return db.auditEvent.findFirstOrThrow({ orderBy: [{ at: "desc" }, { id: "desc" }] });
}

describe("GitLab sign-in (authorization code + PKCE against a local OIDC provider)", () => {
  it("asks for the code with PKCE S256, a state and a nonce", async () => {
    const { url, pending } = await oidc.begin(REDIRECT, "/");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).not.toBe(pending.codeVerifier);
    expect(url.searchParams.get("state")).toBe(pending.state);
    expect(url.searchParams.get("nonce")).toBe(pending.nonce);
    expect(url.searchParams.get("redirect_uri")).toBe(REDIRECT);
    expect(url.searchParams.get("scope")).toBe("openid profile email");
  });

  it("signs a new user in as a viewer, with a session and an audit entry", async () => {
    const { sealed, query } = await startAndAuthorize(alice);
    expect(await signIn.completeGitLabSignIn(oidc, query, sealed)).toEqual({ ok: true, returnTo: "/monitor" });
    const user = await db.user.findUniqueOrThrow({
      where: { provider_subject: { provider: "gitlab", subject: "1001" } },
    });
    expect(user).toMatchObject({ username: "alice", displayName: "Alice Example", role: "viewer" });
    expect(jar.get("ask_ci_session")).toBeTruthy();
    expect(await db.session.count({ where: { userId: user.id, method: "gitlab" } })).toBe(1);
    expect(await latestAudit()).toMatchObject({
      action: "auth.login",
      actorId: user.id,
      actorName: "alice",
      targetType: "user",
      targetId: user.id,
      targetName: "alice",
      result: "ok",
      message: "GitLab, first sign-in: viewer",
    });

    // The next sign-in of the same account is no first one.
    const again = await startAndAuthorize(alice);
    expect(await signIn.completeGitLabSignIn(oidc, again.query, again.sealed)).toEqual({
      ok: true,
      returnTo: "/monitor",
    });
    expect(await latestAudit()).toMatchObject({ action: "auth.login", actorId: user.id, message: "GitLab" });
    expect(await db.auditEvent.count({ where: { action: "user.role" } })).toBe(0);
  });

  it.each([
    ["a state that does not match", "state", (q: URLSearchParams) => q.set("state", "forged-state")],
    ["a missing state", "state", (q: URLSearchParams) => q.delete("state")],
  ])("refuses %s: no session", async (_name, error, change) => {
    const { sealed, query } = await startAndAuthorize(alice);
    change(query);
    expect(await signIn.completeGitLabSignIn(oidc, query, sealed)).toEqual({ ok: false, error });
    expect(jar.has("ask_ci_session")).toBe(false);
  });

  it.each([
    ["a nonce that does not match", "nonce", { nonce: "someone-elses-nonce" }],
    ["an expired ID token", "tokenExpired", { expiresIn: -3600 }],
    ["an ID token signed with a key not in the JWKS", "signature", { foreignKey: true }],
    ["an ID token for another client", "token", { audience: "another-client" }],
    ["an ID token from another issuer", "token", { issuer: "https://evil.example" }],
    ["a token answer without an ID token", "token", { omit: true }],
  ] as const)("refuses %s: a clear error, no session, an audit entry", async (_name, error, tamper) => {
    const { sealed, query } = await startAndAuthorize({ ...alice, sub: "2002", username: "mallory" });
    provider.tamper(tamper);
    expect(await signIn.completeGitLabSignIn(oidc, query, sealed)).toEqual({ ok: false, error });
    expect(jar.has("ask_ci_session")).toBe(false);
    expect(await db.user.count({ where: { subject: "2002" } })).toBe(0);
    expect(await latestAudit()).toMatchObject({ action: "auth.login-failed", result: "error" });
  });

  it("refuses a callback without the sealed request, or with a forged or stale one", async () => {
    const { query, pending } = await startAndAuthorize(alice);
    expect(await signIn.completeGitLabSignIn(oidc, query, undefined)).toEqual({ ok: false, error: "request" });
    expect(await latestAudit()).toMatchObject({
      action: "auth.login-failed",
      actorId: null,
      actorName: "unknown (GitLab)",
      targetType: "user",
      targetId: null,
      targetName: "unknown (GitLab)",
      result: "error",
      message: "GitLab sign-in (request): no pending sign-in in this browser, or it is older than 10 minutes",
    });
    expect(await signIn.completeGitLabSignIn(oidc, query, "Zm9yZ2Vk")).toEqual({ ok: false, error: "request" });
    const stale = request.sealPendingSignIn({ ...pending, startedAt: Date.now() - 11 * 60_000 });
    expect(await signIn.completeGitLabSignIn(oidc, query, stale)).toEqual({ ok: false, error: "request" });
    expect(jar.has("ask_ci_session")).toBe(false);
  });

  it("refuses a code redeemed with another request's PKCE verifier", async () => {
    const first = await startAndAuthorize(alice);
    const second = await oidc.begin(REDIRECT, "/");
    // The attacker's code injected into the victim's pending request (state copied along).
    const query = new URLSearchParams(first.query);
    query.set("state", second.pending.state);
    const sealed = request.sealPendingSignIn(second.pending);
    expect(await signIn.completeGitLabSignIn(oidc, query, sealed)).toEqual({ ok: false, error: "provider" });
    expect(jar.has("ask_ci_session")).toBe(false);
  });

  it("says the user declined at GitLab", async () => {
    const { sealed, pending } = await startAndAuthorize(alice);
    const query = new URLSearchParams({ error: "access_denied", state: pending.state });
    expect(await signIn.completeGitLabSignIn(oidc, query, sealed)).toEqual({ ok: false, error: "denied" });
  });

  it("refuses a deactivated user", async () => {
    const bob = { ...alice, sub: "3003", username: "bob" };
    const first = await startAndAuthorize(bob);
    expect((await signIn.completeGitLabSignIn(oidc, first.query, first.sealed)).ok).toBe(true);
    await db.user.update({
      where: { provider_subject: { provider: "gitlab", subject: "3003" } },
      data: { disabledAt: new Date() },
    });
    jar.clear();
    const again = await startAndAuthorize(bob);
    expect(await signIn.completeGitLabSignIn(oidc, again.query, again.sealed)).toEqual({
      ok: false,
      error: "disabled",
    });
    const disabled = await db.user.findUniqueOrThrow({
      where: { provider_subject: { provider: "gitlab", subject: "3003" } },
    });
    expect(await latestAudit()).toMatchObject({
      action: "auth.login-failed",
      actorId: disabled.id,
      actorName: "bob",
      targetType: "user",
      targetId: disabled.id,
      targetName: "bob",
      result: "error",
      message: "GitLab sign-in (disabled): the account is deactivated",
    });
    expect(jar.has("ask_ci_session")).toBe(false);
  });

  it("gives the role of a matching GitLab group mapping, and records the change", async () => {
    const before = await startAndAuthorize(alice);
    expect((await signIn.completeGitLabSignIn(oidc, before.query, before.sealed)).ok).toBe(true);
    await db.roleMapping.create({ data: { groupPath: "platform/ci", minAccess: "maintainer", role: "operator" } });
    const { sealed, query } = await startAndAuthorize(alice);
    expect((await signIn.completeGitLabSignIn(oidc, query, sealed)).ok).toBe(true);
    const user = await db.user.findUniqueOrThrow({
      where: { provider_subject: { provider: "gitlab", subject: "1001" } },
    });
    expect(user).toMatchObject({ role: "viewer", groupRole: "operator" });
    expect(await latestAudit()).toMatchObject({
      action: "user.role",
      actorId: user.id,
      actorName: "alice",
      targetType: "user",
      targetId: user.id,
      targetName: "alice",
      result: "ok",
      message: "viewer → operator by the GitLab group mappings",
    });
  });

  it("does not follow a returnTo off this site", () => {
    expect(request.safeReturnTo("https://evil.example/")).toBe("/");
    expect(request.safeReturnTo("//evil.example/")).toBe("/");
    expect(request.safeReturnTo("/\\evil.example")).toBe("/");
    expect(request.safeReturnTo("/cost?x=1")).toBe("/cost?x=1");
  });
});
