import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { useFreshDatabase } from "./test-db";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every app/api/**\/route.ts, found on disk so a new route cannot be forgotten here. */
function findRouteFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findRouteFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

const routeFiles = findRouteFiles(path.resolve("app/api"));

beforeAll(() => {
  useFreshDatabase();
});

describe("every API route refuses requests without a session", () => {
  it("finds the routes", () => {
    expect(routeFiles.length).toBeGreaterThan(0);
  });

  it.each(routeFiles.map((file) => [path.relative(process.cwd(), file), file]))("%s", async (_name, file) => {
    const handlers = (await import(file)) as Record<string, unknown>;
    const exported = METHODS.filter((method) => typeof handlers[method] === "function");
    expect(exported.length).toBeGreaterThan(0);
    for (const method of exported) {
      const handler = handlers[method] as (request: Request, context: unknown) => Promise<Response>;
      const request = new Request("http://localhost/api/x", {
        method,
        headers: { cookie: "ask_ci_session=forged", "content-type": "application/json" },
        body: method === "GET" ? undefined : "{}",
      });
      const response = await handler(request, { params: Promise.resolve(new Proxy({}, { get: () => "x" })) });
      expect(response.status, `${method} ${file}`).toBe(401);
    }
  });
});

const MUTATING = ["POST", "PUT", "PATCH", "DELETE"] as const;

/** Routes that do not ride on the session cookie, so a cross-site page cannot borrow it. */
const NOT_COOKIE_AUTHENTICATED: Record<string, string> = {
  "app/api/gitlab/webhook/[id]/route.ts": "GitLab authenticates each delivery with the secret in X-Gitlab-Token",
};

describe("every state-changing API route refuses another origin, even with a valid session", () => {
  let sessionCookie: string;

  beforeAll(async () => {
    const { db } = await import("@/lib/db.server");
    const session = await import("@/lib/auth/session.server");
    const { cookieJar } = await import("@/tests/mock-next-headers");
    const user = await db.user.create({ data: { username: "cross-origin-admin", subject: "cross-origin-admin" } });
    await session.startSession(user.id);
    sessionCookie = `${session.SESSION_COOKIE}=${cookieJar.get(session.SESSION_COOKIE)}`;
  });

  const mutatingRoutes = routeFiles
    .map((file) => path.relative(process.cwd(), file))
    .filter((file) => !(file in NOT_COOKIE_AUTHENTICATED))
    .filter((file) => /export (async function|const) (POST|PUT|PATCH|DELETE)\b/.test(fs.readFileSync(file, "utf8")));

  it("finds the state-changing routes", () => {
    expect(mutatingRoutes.length).toBeGreaterThanOrEqual(3);
  });

  it("every exemption names a real route", () => {
    for (const file of Object.keys(NOT_COOKIE_AUTHENTICATED)) expect(fs.existsSync(file), file).toBe(true);
  });

  it.each(mutatingRoutes.map((file) => [file]))("%s", async (file) => {
    const handlers = (await import(path.resolve(file))) as Record<string, unknown>;
    const send = (method: string, origin: Record<string, string>) => {
      const handler = handlers[method] as (request: Request, context: unknown) => Promise<Response>;
      const request = new Request("http://ask-ci.example:3000/api/x", {
        method,
        headers: { host: "ask-ci.example:3000", cookie: sessionCookie, "content-type": "application/json", ...origin },
        body: "{}",
      });
      return handler(request, { params: Promise.resolve(new Proxy({}, { get: () => "x" })) });
    };
    const methods = MUTATING.filter((m) => typeof handlers[m] === "function");
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) {
      const hostile: Array<Record<string, string>> = [
        { origin: "https://evil.example" },
        { referer: "https://evil.example/page" },
      ];
      for (const origin of hostile) {
        const response = await send(method, origin);
        expect(response.status, `${method} ${file} from ${JSON.stringify(origin)}`).toBe(403);
        expect(await response.json()).toEqual({ error: "Cross-origin request refused" });
      }
      // The same request from our own page passes the guard (whatever the handler then answers).
      const own = await send(method, { origin: "http://ask-ci.example:3000" });
      expect(own.status, `${method} ${file} from our own origin`).not.toBe(403);
      expect(own.status, `${method} ${file} from our own origin`).not.toBe(401);
    }
  });
});
