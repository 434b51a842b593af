import { expect, test, type APIResponse } from "@playwright/test";
import { logIn } from "./helpers";

// Against the production server as `npm start` runs it (server/server.ts in front of Next.js).

function expectSecurityHeaders(response: APIResponse, what: string) {
  const headers = response.headers();
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["referrer-policy"], what).toBe("same-origin");
}

function expectCsp(response: APIResponse, what: string) {
  const csp = response.headers()["content-security-policy"] ?? "";
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  // Plain HTTP here: HSTS only behind HTTPS.
  expect(response.headers()["strict-transport-security"], what).toBeUndefined();
}

test("security headers on every response: pages, login, APIs, errors, static files", async ({ page, request }) => {
  const responses: Array<[string, APIResponse]> = [
    ["login page", await request.get("/login")],
    ["a page without a session (redirect)", await request.get("/monitor", { maxRedirects: 0 })],
    ["an API without a session (401)", await request.get("/api/me")],
    ["an unknown page", await request.get("/no-such-page")],
    ["a cross-origin POST (403)", await request.post("/settings", { headers: { origin: "https://evil.example" } })],
  ];
  for (const [what, response] of responses) {
    expectSecurityHeaders(response, what);
    expectCsp(response, what);
  }

  await logIn(page);
  const signedIn = await page.request.get("/monitor");
  expectSecurityHeaders(signedIn, "a signed-in page");
  expectCsp(signedIn, "a signed-in page");
  // Next.js carries the nonce onto its own inline scripts, so the page runs under the CSP.
  const nonce = /'nonce-([^']+)'/.exec(signedIn.headers()["content-security-policy"])![1];
  const html = await signedIn.text();
  expect(html).toContain(`nonce="${nonce}"`);
  const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)![1];
  expectSecurityHeaders(await page.request.get(script), "a static file");
});

test("the dashboard cannot be framed, and it still works under its CSP", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/.test(message.text()))
      errors.push(message.text());
  });
  await logIn(page);
  await page.goto("/cost");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(errors).toEqual([]);

  // A page on another origin framing the dashboard gets nothing.
  await page.setContent(`<iframe id="f" src="${new URL("/monitor", page.url()).href}"></iframe>`);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  await expect.poll(async () => (await frame?.content().catch(() => "")) ?? "").not.toContain("ask-ci");
});

test("server actions and APIs refuse other origins with 403, never 500", async ({ page, baseURL }) => {
  await logIn(page);
  const own = new URL(baseURL!);
  const post = (headers: Record<string, string>) =>
    page.request.post("/settings", {
      headers: { "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8", ...headers },
      data: "[]",
      maxRedirects: 0,
    });
  // A foreign Origin; only a foreign Referer; a foreign Origin with a matching X-Forwarded-Host.
  const foreign: Array<Record<string, string>> = [
    { origin: "https://evil.example" },
    { referer: "https://evil.example/page" },
    { origin: "https://evil.example", "x-forwarded-host": "evil.example" },
    { origin: `http://${own.hostname}:1` },
    { origin: "null" },
  ];
  for (const headers of foreign) {
    const response = await post(headers);
    expect(response.status(), JSON.stringify(headers)).toBe(403);
  }
  // Our own origin passes the check (the made-up action is then unknown: a 4xx, not a 500),
  // also when a client adds a foreign X-Forwarded-Host, which is not believed.
  const ours: Array<Record<string, string>> = [
    { origin: own.origin },
    { origin: own.origin, "x-forwarded-host": "evil.example" },
  ];
  for (const headers of ours) {
    const response = await post(headers);
    expect(response.status(), JSON.stringify(headers)).toBeLessThan(500);
    expect(response.status(), JSON.stringify(headers)).not.toBe(403);
  }
  const api = await page.request.delete("/api/connections/x", { headers: { origin: "https://evil.example" } });
  expect(api.status()).toBe(403);
});

test("a forged X-Forwarded-For does not change the client address the login limit counts", async ({ browser }) => {
  // Five wrong passwords for one (made-up) account, each claiming another address. Were the header
  // believed, each would count for a different address and the sixth attempt would be "wrong
  // password" again; counted against the real socket address, the sixth is refused.
  for (let i = 0; i <= 5; i++) {
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": `203.0.113.${i}` } });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Username").fill("forged-address-test");
    await page.getByLabel("Password").fill("wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    const expected = i < 5 ? "Wrong username or password." : "Too many failed attempts. Wait 15 minutes and try again.";
    await expect(page.getByText(expected)).toBeVisible();
    await context.close();
  }
});
