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
