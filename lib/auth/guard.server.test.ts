import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cookieJar } from "@/tests/mock-next-headers";
import { useFreshDatabase } from "@/tests/test-db";
import { signedInAs } from "@/tests/users";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

// The configuration each test sets (ASK_CI_PUBLIC_URL, ASK_CI_TRUST_PROXY), over the real one.
const overrides: { ASK_CI_PUBLIC_URL?: string; ASK_CI_TRUST_PROXY?: boolean } = {};
vi.mock("@/lib/env.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/env.server")>();
  return { env: () => ({ ...real.env(), ...overrides }) };
});

let guard: typeof import("./guard.server");
let cookie: string;
let userId: string;

beforeAll(async () => {
  useFreshDatabase();
  guard = await import("./guard.server");
  ({ cookie, id: userId } = await signedInAs("viewer", "gina"));
});

beforeEach(() => {
  delete overrides.ASK_CI_PUBLIC_URL;
  overrides.ASK_CI_TRUST_PROXY = false;
});

function request(method: string, headers: Record<string, string> = {}) {
  return new Request("http://dash.example:3000/api/x", { method, headers: { host: "dash.example:3000", ...headers } });
}

async function errorOf(result: Awaited<ReturnType<typeof guard.authenticateRequest>>) {
  expect(result.error).toBeDefined();
  return { status: result.error!.status, body: (await result.error!.json()) as unknown };
}

describe("authenticateRequest", () => {
  it("answers 401 'Not signed in' without a session cookie, or with one no session has", async () => {
    for (const headers of [{}, { cookie: "ask_ci_session=forged" }] as Array<Record<string, string>>) {
      const result = await guard.authenticateRequest(request("GET", headers));
      expect(result.user).toBeUndefined();
      expect(await errorOf(result)).toEqual({ status: 401, body: { error: "Not signed in" } });
    }
  });

  it("gives the session's user to a read from anywhere: GET, HEAD and OPTIONS change nothing", async () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      const result = await guard.authenticateRequest(request(method, { cookie, origin: "https://evil.example" }));
      expect(result, method).toMatchObject({ user: { id: userId, username: "gina", role: "viewer" } });
      expect(result.error, method).toBeUndefined();
    }
  });

  it("refuses a state change from another origin with 403, even with a valid session", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const result = await guard.authenticateRequest(request(method, { cookie, origin: "https://evil.example" }));
      expect(result.user, method).toBeUndefined();
      expect(await errorOf(result), method).toEqual({ status: 403, body: { error: "Cross-origin request refused" } });
    }
  });

  it("lets a state change from our own origin through", async () => {
    const result = await guard.authenticateRequest(request("POST", { cookie, origin: "http://dash.example:3000" }));
    expect(result).toMatchObject({ user: { id: userId } });
  });

  it("judges the origin by the configured public URL and trusted proxy", async () => {
    const fromPublicUrl = request("POST", { cookie, origin: "https://ci.example.com" });
    expect((await guard.authenticateRequest(fromPublicUrl)).error?.status).toBe(403);
    overrides.ASK_CI_PUBLIC_URL = "https://ci.example.com";
    expect(await guard.authenticateRequest(fromPublicUrl)).toMatchObject({ user: { id: userId } });

    delete overrides.ASK_CI_PUBLIC_URL;
    const forwarded = request("POST", { cookie, origin: "https://proxy.example", "x-forwarded-host": "proxy.example" });
    expect((await guard.authenticateRequest(forwarded)).error?.status).toBe(403);
    overrides.ASK_CI_TRUST_PROXY = true;
    expect(await guard.authenticateRequest(forwarded)).toMatchObject({ user: { id: userId } });
  });
});

describe("requireUser", () => {
  it("redirects to /login without a session", async () => {
    cookieJar.clear();
    await expect(guard.requireUser()).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;replace;\/login;/),
    });
  });

  it("is the signed-in user with one", async () => {
    cookieJar.clear();
    const { id } = await signedInAs("operator", "otto");
    expect(await guard.requireUser()).toMatchObject({ id, username: "otto", role: "operator" });
  });
});
