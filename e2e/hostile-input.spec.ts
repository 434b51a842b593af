import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { logIn } from "./helpers";

// Every server action of the build and every API route get the hostile set of issue 10, as a
// browser (or an attacker replaying one) sends them: each answer must be a 4xx with a message, or
// the action's own answer — never a 5xx — and nothing may be stored from a refused request.

interface Sent {
  body: string | Uint8Array;
  contentType: string;
}

const json = (value: unknown): Sent => ({ body: JSON.stringify(value), contentType: "text/plain;charset=UTF-8" });
const raw = (body: string): Sent => ({ body, contentType: "text/plain;charset=UTF-8" });

/** The hostile set for a server action call (its body is React's reply encoding of the arguments). */
const ACTION_BODIES: Array<[string, Sent]> = [
  ["1 MB body", raw(JSON.stringify(["x".repeat(1024 * 1024)]))],
  ["10 MB body", raw(JSON.stringify(["x".repeat(10 * 1024 * 1024)]))],
  ["20,000 levels of nesting", raw("[".repeat(20_000) + "]".repeat(20_000))],
  ["a 100,000-element array", json([Array.from({ length: 100_000 }, (_, i) => i)])],
  [
    "broken multipart boundary",
    {
      body: '--AaB03x\r\nContent-Disposition: form-data; name="0"\r\n\r\n[]\r\n--',
      contentType: "multipart/form-data; boundary=OTHER",
    },
  ],
  ["no arguments", json([])],
  ["ten extra arguments", json(Array.from({ length: 10 }, () => "x"))],
  ["null for everything", json([null, null])],
  ["a number for everything", json([42, 42])],
  ["a string for everything", json(["str", "str"])],
  ["an array for an object", json([[], []])],
  ["__proto__ keys", raw('[{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}},{"__proto__":{}}]')],
  ["unknown reference $@99", json(["$@99", "$@99"])],
  ["server reference $h", json(["$h1", "$h1"])],
  ["temporary reference $T", json(["$T", "$T"])],
  ["BigInt $n", json(["$n1", "$n1"])],
  ["FormData reference without form data", json(["$K1", "$K1"])],
  ["NUL in strings", json(["a\u0000b", { name: "a\u0000b" }])],
  ["right-to-left override", json(["\u202Eexe.txt", { name: "\u202Eexe.txt" }])],
  ["unpaired surrogates", raw('["\\ud800", {"name": "\\udc00x"}]')],
  ["10,000-character ids", json(["x".repeat(10_000), "x".repeat(10_000)])],
  ["invalid UTF-8", { body: new Uint8Array([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]), contentType: "text/plain" }],
];

/** The hostile set for routes' bodies (JSON APIs). */
const ROUTE_BODIES: Array<[string, Sent]> = [
  ["1 MB JSON", { body: JSON.stringify({ x: "x".repeat(1024 * 1024) }), contentType: "application/json" }],
  ["deep JSON", { body: "[".repeat(20_000) + "]".repeat(20_000), contentType: "application/json" }],
  ["wide JSON", { body: JSON.stringify(Array.from({ length: 100_000 }, () => 0)), contentType: "application/json" }],
  ["not JSON", { body: "{", contentType: "application/json" }],
  ["null", { body: "null", contentType: "application/json" }],
  ["a string", { body: '"x"', contentType: "application/json" }],
  [
    "__proto__",
    { body: '{"__proto__":{"admin":true},"profileId":"x","mode":"apply"}', contentType: "application/json" },
  ],
  [
    "NUL and surrogates",
    { body: '{"profileId":"\\u0000\\ud800","mode":"apply","name":"a"}', contentType: "application/json" },
  ],
  [
    "10,000-character id",
    {
      body: JSON.stringify({ profileId: "x".repeat(10_000), id: "x".repeat(10_000) }),
      contentType: "application/json",
    },
  ],
  ["broken multipart", { body: "--x\r\nbroken", contentType: "multipart/form-data; boundary=y" }],
];

const PARAM_VALUES = ["x", "%E0%A4%A", "%00", "x".repeat(10_000), "..%2F..%2Fetc"];
const QUERIES = [
  "",
  "?cluster=%E0%A4%A&namespace=%00",
  "?cluster=x&namespace=-bad-&page=-1&pageSize=1e9&from=not-a-date&to=9999-99-99",
  `?cluster=${"x".repeat(10_000)}&project=${"%F0%9F".repeat(10)}`,
  "?format=%00&container=../../x&tailLines=-5&follow=maybe",
];

function actionsOfBuild(): Array<{ id: string; name: string }> {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8"),
  ) as { node: Record<string, { exportedName?: string }> };
  return Object.entries(manifest.node).map(([id, entry]) => ({ id, name: entry.exportedName ?? id }));
}

function routesOnDisk(dir = path.join(process.cwd(), "app")): Array<{ pattern: string; methods: string[] }> {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routesOnDisk(full);
    if (entry.name !== "route.ts") return [];
    const source = fs.readFileSync(full, "utf8");
    const methods = [...source.matchAll(/export async function (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
    const pattern =
      "/" +
      path
        .relative(path.join(process.cwd(), "app"), path.dirname(full))
        .split(path.sep)
        .filter((segment) => !/^\(.*\)$/.test(segment))
        .join("/");
    return [{ pattern, methods }];
  });
}

interface Answer {
  status: number;
  text: string;
}

/** fetch, so an event stream that opens (a valid request to an SSE route) does not hang the test. */
async function send(
  baseURL: string,
  cookie: string,
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string | Uint8Array },
): Promise<Answer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    const response = await fetch(new URL(url, baseURL), {
      method: init.method,
      headers: { cookie, origin: new URL(baseURL).origin, ...init.headers },
      body: init.body as BodyInit | undefined,
      redirect: "manual",
      signal: controller.signal,
    });
    const streaming = response.headers.get("content-type")?.includes("text/event-stream");
    const text = streaming || response.status < 400 ? "" : await response.text();
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status, text };
  } finally {
    clearTimeout(timer);
  }
}

function expectNoServerError(answer: Answer, what: string) {
  expect(answer.status, `${what}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
  if (answer.status >= 400 && answer.status !== 404) {
    // A refusal says why (JSON { error }), never a stack trace.
    expect(answer.text, what).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(answer.text.length, what).toBeGreaterThan(0);
  }
}

/** What a refused request could have left behind: connections, profiles, price books and ECS prices. */
async function storedState(page: Page): Promise<string> {
  const connections = await (await page.request.get("/api/connections")).text();
  const setup = await (await page.request.get("/setup")).text();
  const settings = await (await page.request.get("/settings")).text();
  const profiles = [...setup.matchAll(/href="\/setup\/([^"/]+)"/g)].map((m) => m[1]).sort();
  const prices = settings.replace(/nonce="[^"]*"|"nonce":"[^"]*"/g, "").match(/<table[\s\S]*?<\/table>/g) ?? [];
  return JSON.stringify({ connections, profiles, prices });
}

test("every server action answers the hostile set with a 4xx or its own answer, never a 5xx, and stores nothing", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(600_000);
  await logIn(page);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  // logout last: called with no arguments (one of the hostile set) it is a valid sign-out, and every
  // action after it would only meet "Not signed in".
  const actions = actionsOfBuild().sort((a, b) => Number(a.name === "logout") - Number(b.name === "logout"));
  expect(actions.length).toBeGreaterThan(10);
  const before = await storedState(page);
  for (const action of actions) {
    for (const [what, sent] of ACTION_BODIES) {
      const answer = await send(baseURL!, cookie, "/settings", {
        method: "POST",
        headers: { "next-action": action.id, "content-type": sent.contentType, accept: "text/x-component" },
        body: sent.body,
      });
      expectNoServerError(answer, `${action.name} with ${what}`);
    }
  }
  await logIn(page);
  expect(await storedState(page)).toBe(before);
});

test("every API route answers hostile parameters, queries and bodies with a 4xx, never a 5xx, and stores nothing", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(600_000);
  await logIn(page);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const routes = routesOnDisk().filter((r) => r.pattern.startsWith("/api/"));
  expect(routes.length).toBeGreaterThan(10);
  const before = await storedState(page);
  for (const route of routes) {
    for (const value of PARAM_VALUES) {
      const url = route.pattern.replace(/\[[^\]]+\]/g, value);
      for (const method of route.methods) {
        if (method === "GET") {
          for (const query of QUERIES) {
            expectNoServerError(
              await send(baseURL!, cookie, url + query, { method }),
              `GET ${url}${query}`.slice(0, 200),
            );
          }
        } else {
          for (const [what, sent] of ROUTE_BODIES) {
            const answer = await send(baseURL!, cookie, url, {
              method,
              headers: { "content-type": sent.contentType },
              body: sent.body,
            });
            expectNoServerError(answer, `${method} ${url.slice(0, 80)} with ${what}`);
          }
        }
      }
    }
  }
  expect(await storedState(page)).toBe(before);
});

test("pages with malformed percent-encoding answer 400 or 404, not 500", async ({ page, baseURL }) => {
  await logIn(page);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  for (const url of ["/setup/%E0%A4%A", "/clusters/%E0%A4%A", "/%E0%A4%A", "/monitor?cluster=%E0%A4%A", "/setup/%"]) {
    const answer = await send(baseURL!, cookie, url, { method: "GET" });
    expect([200, 400, 404], url).toContain(answer.status);
    if (url.includes("?")) continue;
    expect([400, 404], url).toContain(answer.status);
  }
});
