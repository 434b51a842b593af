import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoGitlab } from "../src/index";
import { startTestGitlab } from "./helpers";

const REDIRECT = "http://127.0.0.1:3999/login/gitlab/callback";
let gitlab: DemoGitlab;
beforeAll(async () => {
  gitlab = await startTestGitlab({ oidcRedirectUris: [REDIRECT] });
});
afterAll(async () => {
  await gitlab.stop();
});

/** A browser enough for the sign-in pages: a cookie jar and manual redirects. */
class Browser {
  private cookies = new Map<string, string>();

  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const response = await fetch(url, {
      method: init.method ?? "GET",
      redirect: "manual",
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        ...(init.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, ...value] = pair.split("=");
      this.cookies.set(name.trim(), value.join("="));
    }
    const location = response.headers.get("location");
    return {
      status: response.status,
      location: location ? new URL(location, url).toString() : null,
      html: await response.text(),
    };
  }

  /** Follows redirects until one leaves the provider (the callback) or a page is shown. */
  async follow(url: string): Promise<{ url: string; status: number; html: string }> {
    let current = url;
    for (let i = 0; i < 10; i++) {
      if (!current.startsWith(gitlab.url)) return { url: current, status: 0, html: "" };
      const page = await this.go(current);
      if (!page.location) return { url: current, status: page.status, html: page.html };
      current = page.location;
    }
    throw new Error("too many redirects");
  }
}

async function discover() {
  const { clientId, clientSecret } = gitlab.info.oidc;
  return client.discovery(new URL(gitlab.info.oidc.issuer), clientId, clientSecret, undefined, {
    execute: [client.allowInsecureRequests],
  });
}

async function startSignIn(config: client.Configuration) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: "openid profile email",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { url: url.toString(), verifier, state, nonce };
}

const password = (username: string) => gitlab.info.users.find((u) => u.username === username)!.password;

describe("OpenID Connect provider", () => {
  it("publishes discovery with GitLab's endpoint paths", async () => {
    const response = await fetch(gitlab.info.oidc.discoveryUrl);
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: gitlab.url,
      authorization_endpoint: `${gitlab.url}/oauth/authorize`,
      token_endpoint: `${gitlab.url}/oauth/token`,
      userinfo_endpoint: `${gitlab.url}/oauth/userinfo`,
      jwks_uri: `${gitlab.url}/oauth/discovery/keys`,
    });
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email"]));
    const jwks = (await (await fetch(`${gitlab.url}/oauth/discovery/keys`)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it("signs a demo user in with its login and consent pages; openid-client verifies the ID token", async () => {
    const config = await discover();
    const flow = await startSignIn(config);
    const browser = new Browser();
    const login = await browser.follow(flow.url);
    expect(login.status).toBe(200);
    expect(login.html).toContain("Sign in");
    const action = /action="([^"]+\/login)"/.exec(login.html)![1];

    const wrong = await browser.go(new URL(action, gitlab.url).toString(), {
      method: "POST",
      form: { username: "alice", password: "not-it" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain("Invalid login or password.");

    const ok = await browser.go(new URL(action, gitlab.url).toString(), {
      method: "POST",
      form: { username: "alice", password: password("alice") },
    });
    const consent = await browser.follow(ok.location!);
    expect(consent.html).toContain("Authorize ask-ci to use your account?");
    const confirm = /action="([^"]+\/confirm)"/.exec(consent.html)![1];
    const confirmed = await browser.go(new URL(confirm, gitlab.url).toString(), { method: "POST" });
    const callback = await browser.follow(confirmed.location!);
    expect(callback.url.startsWith(REDIRECT)).toBe(true);

    const tokens = await client.authorizationCodeGrant(config, new URL(callback.url), {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    });
    const claims = tokens.claims()!;
    const alice = gitlab.store.data.users.find((u) => u.username === "alice")!;
    expect(claims).toMatchObject({
      iss: gitlab.url,
      aud: gitlab.info.oidc.clientId,
      sub: String(alice.id),
      nickname: "alice",
      preferred_username: "alice",
      name: "Alice Chen",
      email: "alice@demo-gitlab.local",
      email_verified: true,
      groups_direct: ["acme"],
    });
    expect(claims.groups).toBeUndefined();
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo.groups).toEqual(["acme", "acme/backend", "acme/web", "acme/platform"]);
    expect(userinfo["https://gitlab.org/claims/groups/owner"]).toEqual(["acme"]);
    expect(userinfo.groups_direct).toBeUndefined();

    // A second sign-in in the same browser goes straight back: session and consent are remembered.
    const again = await startSignIn(config);
    const back = await browser.follow(again.url);
    expect(back.url.startsWith(REDIRECT)).toBe(true);
  });

  it("returns access_denied to the application when the user denies consent", async () => {
    const config = await discover();
    const flow = await startSignIn(config);
    const browser = new Browser();
    const login = await browser.follow(flow.url);
    const action = /action="([^"]+\/login)"/.exec(login.html)![1];
    const ok = await browser.go(new URL(action, gitlab.url).toString(), {
      method: "POST",
      form: { username: "dave", password: password("dave") },
    });
    const consent = await browser.follow(ok.location!);
    const abort = /action="([^"]+\/abort)"/.exec(consent.html)![1];
    const denied = await browser.go(new URL(abort, gitlab.url).toString(), { method: "POST" });
    const callback = await browser.follow(denied.location!);
    const query = new URL(callback.url).searchParams;
    expect(query.get("error")).toBe("access_denied");
    expect(query.get("state")).toBe(flow.state);
  });

  it("refuses an unregistered redirect URI on its own error page, without redirecting", async () => {
    const config = await discover();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: "http://127.0.0.1:4000/steal",
      scope: "openid",
      state: "s",
    });
    const page = await new Browser().go(url.toString());
    expect(page.status).toBe(400);
    expect(page.location).toBeNull();
    expect(page.html).toContain("redirect_uri did not match any of the client&#39;s registered redirect_uris");
  });

  it("refuses a wrong client secret at the token endpoint", async () => {
    const response = await fetch(`${gitlab.url}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${gitlab.info.oidc.clientId}:wrong`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "authorization_code", code: "x", redirect_uri: REDIRECT }).toString(),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_client");
  });
});
