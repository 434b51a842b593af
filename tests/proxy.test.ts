import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

// The first gate of every request (proxy.ts). Server actions have no route handler of their own:
// this gate's cross-origin refusal is what stands between another site's form and a signed-in
// user's session, so it is tested here on its own, below the browser (e2e/security.spec.ts).

const OWN = "http://ask-ci.example:3000";

function post(path: string, headers: Record<string, string>): NextRequest {
  return new NextRequest(`${OWN}${path}`, {
    method: "POST",
    headers: { host: "ask-ci.example:3000", cookie: "ask_ci_session=anything", ...headers },
    body: "",
  });
}

describe("proxy: state changes from another origin", () => {
  it.each([
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["only a foreign Referer", { referer: "https://evil.example/form.html" }],
    [
      "a foreign Origin with a matching X-Forwarded-Host",
      { origin: "https://evil.example", "x-forwarded-host": "evil.example" },
    ],
    ["our host on another port", { origin: "http://ask-ci.example:1" }],
    ['Origin "null" (a sandboxed page)', { origin: "null" }],
  ])("refuses %s with 403 before anything is decoded", async (_what, headers) => {
    const response = await proxy(post("/settings", { ...headers, "next-action": "0".repeat(42) }));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: "Cross-origin request refused" });
    expect(response.headers.get("content-security-policy")).toContain("script-src");
  });

  it("lets our own origin through to the next gate, with the host it accepted for Next's own check", async () => {
    const response = await proxy(post("/api/connections", { origin: OWN, "x-forwarded-host": "evil.example" }));
    expect(response.status).toBe(200);
    // NextResponse.next() carries the forwarded request headers as x-middleware-request-*.
    expect(response.headers.get("x-middleware-request-x-forwarded-host")).toBe("ask-ci.example:3000");
  });

  it("does not apply to reads", async () => {
    const response = await proxy(
      new NextRequest(`${OWN}/monitor`, {
        headers: { host: "ask-ci.example:3000", origin: "https://evil.example", cookie: "ask_ci_session=x" },
      }),
    );
    expect(response.status).toBe(200);
  });

  it("answers a state change without a session cookie with 401 on the API, once the origin is ours", async () => {
    const response = await proxy(
      new NextRequest(`${OWN}/api/connections`, {
        method: "POST",
        headers: { host: "ask-ci.example:3000", origin: OWN, "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(response.status).toBe(401);
  });
});
