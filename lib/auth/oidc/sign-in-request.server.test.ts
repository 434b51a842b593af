import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { PendingSignIn } from "./gitlab-oidc.server";

// The configuration each test sets over the real one.
const overrides: Record<string, unknown> = {};
vi.mock("@/lib/env.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/env.server")>();
  return { env: () => ({ ...real.env(), ...overrides }) };
});

let request: typeof import("./sign-in-request.server");
let encryptJson: typeof import("@/lib/crypto/encryption.server").encryptJson;

const NOW = Date.parse("2026-12-07T00:00:00Z");
const pending: PendingSignIn = {
  state: "state-1",
  nonce: "nonce-1",
  codeVerifier: "v".repeat(43),
  redirectUri: "https://ci.example.com/login/gitlab/callback",
  returnTo: "/monitor",
  startedAt: NOW,
};

beforeAll(async () => {
  process.env.ASK_CI_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-sign-in-"));
  delete process.env.ASK_CI_SECRET_KEY;
  request = await import("./sign-in-request.server");
  ({ encryptJson } = await import("@/lib/crypto/encryption.server"));
});

beforeEach(() => {
  for (const key of Object.keys(overrides)) delete overrides[key];
  overrides.ASK_CI_PUBLIC_URL = undefined;
  overrides.ASK_CI_TRUST_PROXY = false;
});

const sealed = (payload: unknown) => Buffer.from(encryptJson(payload)).toString("base64url");

describe("the pending sign-in cookie", () => {
  it("opens to the pending sign-in it sealed, for ten minutes from its start", () => {
    const cookie = request.sealPendingSignIn(pending);
    expect(request.openPendingSignIn(cookie, NOW)).toEqual(pending);
    expect(request.openPendingSignIn(cookie, NOW + 10 * 60_000)).toEqual(pending);
    expect(request.openPendingSignIn(cookie, NOW + 10 * 60_000 + 1)).toBeNull();
    expect(request.openPendingSignIn(cookie, NOW - 1)).toBeNull();
  });

  it("gives back only the pending sign-in's fields", () => {
    const cookie = sealed({ purpose: "gitlab-sign-in", ...pending, extra: "x" });
    expect(request.openPendingSignIn(cookie, NOW)).toStrictEqual(pending);
  });

  it("is refused when missing, forged, too long, or sealed for something else", () => {
    expect(request.openPendingSignIn(undefined, NOW)).toBeNull();
    expect(request.openPendingSignIn("", NOW)).toBeNull();
    expect(request.openPendingSignIn("Zm9yZ2Vk", NOW)).toBeNull();
    const valid = request.sealPendingSignIn(pending);
    expect(request.openPendingSignIn(`${valid.slice(0, -4)}AAAA`, NOW)).toBeNull();
    const long = request.sealPendingSignIn({ ...pending, returnTo: `/${"x".repeat(3000)}` });
    expect(long.length).toBeGreaterThan(4096);
    expect(request.openPendingSignIn(long, NOW)).toBeNull();
    expect(request.openPendingSignIn(sealed({ ...pending, purpose: "login-device" }), NOW)).toBeNull();
    expect(request.openPendingSignIn(sealed({ ...pending, purpose: undefined }), NOW)).toBeNull();
  });

  it("is refused when a field is missing or malformed", () => {
    const valid = { purpose: "gitlab-sign-in", ...pending };
    expect(request.openPendingSignIn(sealed(valid), NOW)).toEqual(pending);
    for (const broken of [
      { state: "" },
      { nonce: "" },
      { codeVerifier: "v".repeat(42) },
      { redirectUri: "not a url" },
      { returnTo: 5 },
      { startedAt: "now" },
    ]) {
      expect(request.openPendingSignIn(sealed({ ...valid, ...broken }), NOW), JSON.stringify(broken)).toBeNull();
    }
  });
});

describe("safeReturnTo", () => {
  it("keeps a path on this site up to 500 characters", () => {
    expect(request.safeReturnTo("/cost?x=1")).toBe("/cost?x=1");
    const at500 = `/${"p".repeat(499)}`;
    expect(request.safeReturnTo(at500)).toBe(at500);
    expect(request.safeReturnTo(`${at500}p`)).toBe("/");
  });

  it("sends anything else home: nothing, a relative path, another host, or the login pages", () => {
    for (const value of [null, undefined, "", "cost", "https://evil.example/", "//evil.example/", "/\\evil.example"]) {
      expect(request.safeReturnTo(value), String(value)).toBe("/");
    }
    expect(request.safeReturnTo("/login")).toBe("/");
    expect(request.safeReturnTo("/login/gitlab?x")).toBe("/");
    expect(request.safeReturnTo("/settings/login")).toBe("/settings/login");
  });
});

describe("publicOrigin", () => {
  it("is ASK_CI_PUBLIC_URL when set, whatever the request says", () => {
    overrides.ASK_CI_PUBLIC_URL = "https://ci.example.com";
    overrides.ASK_CI_TRUST_PROXY = true;
    expect(request.publicOrigin(new Headers({ host: "other.example", "x-forwarded-host": "x.example" }))).toBe(
      "https://ci.example.com",
    );
  });

  it("is the request's own host over http, without a trusted proxy (forwarded headers ignored)", () => {
    const headers = new Headers({
      host: "dash.example:3000",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
    });
    expect(request.publicOrigin(headers)).toBe("http://dash.example:3000");
    expect(request.publicOrigin(new Headers())).toBe("http://localhost");
  });

  it("behind a trusted proxy, is the first forwarded host and protocol, trimmed", () => {
    overrides.ASK_CI_TRUST_PROXY = true;
    const headers = new Headers({
      host: "10.0.0.5:3000",
      "x-forwarded-host": " ci.example.com , inner.example",
      "x-forwarded-proto": " https ,http",
    });
    expect(request.publicOrigin(headers)).toBe("https://ci.example.com");
    // Without them, the request's host; a protocol other than https is http.
    expect(request.publicOrigin(new Headers({ host: "10.0.0.5:3000" }))).toBe("http://10.0.0.5:3000");
    expect(request.publicOrigin(new Headers({ host: "h.example", "x-forwarded-proto": "gopher" }))).toBe(
      "http://h.example",
    );
    expect(request.publicOrigin(new Headers({ host: "h.example", "x-forwarded-host": " , x.example" }))).toBe(
      "http://h.example",
    );
  });
});

describe("gitLabOidc", () => {
  async function fresh() {
    vi.resetModules();
    return (await import("./sign-in-request.server")).gitLabOidc;
  }
  const configured = {
    GITLAB_OIDC_ISSUER: "https://gitlab.example.com",
    GITLAB_OIDC_CLIENT_ID: "client",
    GITLAB_OIDC_CLIENT_SECRET: "secret",
    GITLAB_OIDC_SCOPES: "openid profile",
  };

  it("is a client with the configured settings, made once", async () => {
    Object.assign(overrides, configured);
    const gitLabOidc = await fresh();
    const client = gitLabOidc();
    expect(client?.settings).toEqual({
      issuer: "https://gitlab.example.com",
      clientId: "client",
      clientSecret: "secret",
      scopes: "openid profile",
    });
    expect(gitLabOidc()).toBe(client);
  });

  it("is null unless the issuer, client id and secret are all set", async () => {
    for (const missing of ["GITLAB_OIDC_ISSUER", "GITLAB_OIDC_CLIENT_ID", "GITLAB_OIDC_CLIENT_SECRET"]) {
      Object.assign(overrides, configured, { [missing]: undefined });
      const gitLabOidc = await fresh();
      expect(gitLabOidc(), missing).toBeNull();
      // Still null once configured: the answer is made once per process.
      Object.assign(overrides, configured);
      expect(gitLabOidc(), missing).toBeNull();
    }
  });
});
