import { describe, expect, it } from "vitest";
import { rateLimitResetWaitMs, retryDelay, serverWaitMs, type RetryPolicy } from "./retry";

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxWaitMs: 30_000 };
const now = Date.UTC(2026, 0, 1);
const response = (status: number, headers: Record<string, string> = {}) =>
  ({ kind: "response", status, headers: new Headers(headers) }) as const;
const network = (code: string) => ({ kind: "network", code }) as const;

describe("retryDelay", () => {
  it.each([
    ["429 without headers: backoff", response(429), "POST", 1, 100],
    ["429 with Retry-After seconds", response(429, { "retry-after": "7" }), "GET", 1, 7_000],
    [
      "429 with Retry-After as an HTTP date",
      response(429, { "retry-after": new Date(now + 3_000).toUTCString() }),
      "GET",
      1,
      3_000,
    ],
    [
      "429 with RateLimit-Reset and nothing remaining",
      response(429, { "ratelimit-remaining": "0", "ratelimit-reset": String(now / 1000 + 12) }),
      "GET",
      1,
      12_000,
    ],
    ["429 asking for longer than we wait", response(429, { "retry-after": "3600" }), "GET", 1, null],
    ["503 on GET: backoff grows", response(503), "GET", 3, 400],
    ["503 on POST may have been processed", response(503), "POST", 1, null],
    ["500 is not transient", response(500), "GET", 1, null],
    ["401 is final", response(401), "GET", 1, null],
    ["404 is final", response(404), "GET", 1, null],
    ["last attempt", response(429), "GET", 4, null],
    ["refused: never reached GitLab, even a POST", network("ECONNREFUSED"), "POST", 1, 100],
    ["reset on GET", network("ECONNRESET"), "GET", 2, 200],
    ["reset on POST: may have been processed", network("ECONNRESET"), "POST", 1, null],
    ["timeout on DELETE", network("ETIMEDOUT"), "DELETE", 1, 100],
    ["TLS failure is final", network("CERT_HAS_EXPIRED"), "GET", 1, null],
  ] as const)("%s", (_name, outcome, method, attempt, expected) => {
    // random = 1 gives the full backoff; random = 0 half of it.
    expect(retryDelay(outcome, method, attempt, now, policy, 1)).toBe(expected);
  });

  it("jitters between half and all of the backoff", () => {
    expect(retryDelay(response(503), "GET", 2, now, policy, 0)).toBe(100);
    expect(retryDelay(response(503), "GET", 2, now, policy, 0.5)).toBe(150);
    expect(retryDelay(response(503), "GET", 5, now, { ...policy, maxAttempts: 10 }, 1)).toBe(1_000);
  });
});

describe("rate-limit headers", () => {
  it("waits for the reset only when nothing remains", () => {
    const reset = String(now / 1000 + 5);
    expect(rateLimitResetWaitMs(new Headers({ "ratelimit-remaining": "0", "ratelimit-reset": reset }), now)).toBe(
      5_000,
    );
    expect(rateLimitResetWaitMs(new Headers({ "ratelimit-remaining": "3", "ratelimit-reset": reset }), now)).toBeNull();
    expect(rateLimitResetWaitMs(new Headers({ "ratelimit-remaining": "0" }), now)).toBeNull();
    expect(rateLimitResetWaitMs(new Headers(), now)).toBeNull();
  });

  it("reads Retry-After before RateLimit-Reset, and never a negative wait", () => {
    expect(
      serverWaitMs(
        new Headers({ "retry-after": "2", "ratelimit-remaining": "0", "ratelimit-reset": String(now / 1000 + 9) }),
        now,
      ),
    ).toBe(2_000);
    expect(serverWaitMs(new Headers({ "retry-after": new Date(now - 5_000).toUTCString() }), now)).toBe(0);
    expect(serverWaitMs(new Headers({ "retry-after": "soon" }), now)).toBeNull();
  });
});
