import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable";

describe("isDatabaseUnavailable", () => {
  it.each([
    ["Prisma: can't reach the server", { code: "P1001" }],
    ["Prisma: no pooled connection in time", { code: "P2024" }],
    // How @prisma/adapter-pg 6.19 reports a refused connection (seen with PostgreSQL stopped).
    ["adapter-pg", { code: "P1001", meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } } }],
    ["adapter error alone", { meta: { driverAdapterError: { cause: { kind: "ConnectionClosed" } } } }],
    ["node-postgres, refused", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })],
    ["PostgreSQL shutting down", { code: "57P01" }],
    ["wrapped", new Error("outer", { cause: { code: "P1017" } })],
  ])("%s: unavailable", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["unique constraint", { code: "P2002" }],
    ["record not found", { code: "P2025" }],
    ["Next.js redirect", Object.assign(new Error("NEXT_REDIRECT"), { digest: "NEXT_REDIRECT;replace;/login;307;" })],
    ["plain error", new Error("boom")],
    ["not an object", "P1001"],
    ["null", null],
  ])("%s: not unavailable", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
