import { expect } from "vitest";

/**
 * The value of an `{ ok: true, value }` result, or a failed test naming the problem. Tests use it
 * instead of `expect(r.ok && r.value.x).toBe(false)`, which passes when the call failed.
 */
export function expectOk<T>(result: { ok: true; value: T } | { ok: false; [key: string]: unknown }): T {
  expect(result, `expected an ok result, got ${JSON.stringify(result)}`).toMatchObject({ ok: true });
  return (result as { value: T }).value;
}
