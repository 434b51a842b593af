import net from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startTestOidcProvider, type TestOidcProvider } from "@/tests/oidc-test-provider";
import { createGitLabOidc } from "./gitlab-oidc.server";

// The client's discovery: plain http only for a provider on this machine, cached for an hour,
// retried after a failure. The sign-in itself is sign-in.server.test.ts.

const CLIENT = { id: "ask-ci-test", secret: "test-client-secret-value" };
const REDIRECT = "http://127.0.0.1:3999/login/gitlab/callback";
const DISCOVERY = "GET /.well-known/openid-configuration";

let provider: TestOidcProvider | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await provider?.stop();
  provider = undefined;
});

const client = (issuer: string) =>
  createGitLabOidc({ issuer, clientId: CLIENT.id, clientSecret: CLIENT.secret, scopes: "openid" });

/** What begin() failed with: openid-client's code, or the fetch failure of an attempted request. */
async function failureOf(issuer: string): Promise<string> {
  const error = (await client(issuer)
    .begin(REDIRECT, "/")
    .then(
      () => null,
      (e: unknown) => e,
    )) as { code?: string; message?: string } | null;
  expect(error, issuer).not.toBeNull();
  return error!.code ?? error!.message!;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("plain http", () => {
  it("is refused for a provider elsewhere, before any request", async () => {
    for (const issuer of [
      "http://gitlab.example.com",
      "http://127.0.0.1.nip.example:1",
      "http://localhost.example:1",
    ]) {
      expect(await failureOf(issuer)).toBe("OAUTH_HTTP_REQUEST_FORBIDDEN");
    }
  });

  it("is allowed for this machine: localhost, [::1] and 127.0.0.0/8 (the request is made, and fails here)", async () => {
    const port = await freePort();
    for (const host of ["localhost", "[::1]", "127.0.0.1", "127.10.200.3"]) {
      expect(await failureOf(`http://${host}:${port}`), host).toBe("fetch failed");
    }
  });
});

describe("discovery", () => {
  const discoveries = () => provider!.requests.filter((r) => r === DISCOVERY).length;

  it("is made once and reused for an hour, then made again", async () => {
    provider = await startTestOidcProvider(CLIENT);
    vi.useFakeTimers({ toFake: ["Date"] });
    const oidc = client(provider.issuer);
    await oidc.begin(REDIRECT, "/");
    await oidc.begin(REDIRECT, "/");
    expect(discoveries()).toBe(1);
    vi.setSystemTime(Date.now() + 60 * 60_000);
    await oidc.begin(REDIRECT, "/");
    expect(discoveries()).toBe(1);
    vi.setSystemTime(Date.now() + 1);
    await oidc.begin(REDIRECT, "/");
    expect(discoveries()).toBe(2);
    await oidc.begin(REDIRECT, "/");
    expect(discoveries()).toBe(2);
  });

  it("is tried again after a failure, not cached as one", async () => {
    const port = await freePort();
    const oidc = client(`http://127.0.0.1:${port}`);
    await expect(oidc.begin(REDIRECT, "/")).rejects.toThrow("fetch failed");
    provider = await startTestOidcProvider(CLIENT, port);
    const { url } = await oidc.begin(REDIRECT, "/");
    expect(url.origin).toBe(provider.issuer);
    expect(discoveries()).toBe(1);
  });
});
