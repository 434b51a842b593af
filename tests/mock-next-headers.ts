/**
 * next/headers for tests outside a Next request: `vi.mock("next/headers", () => import("@/tests/mock-next-headers"))`.
 * Cookies set by the code under test land in `cookieJar` (one per test file: vitest isolates
 * modules per file); `requestHeaders` are the incoming request's headers, empty unless a test
 * fills them.
 */
export const cookieJar = new Map<string, string>();
/** The options each cookie was last set with (httpOnly, sameSite, secure, path, expires). */
export const cookieOptions = new Map<string, Record<string, unknown>>();
export const requestHeaders = new Headers();

export async function cookies() {
  return {
    get: (name: string) => (cookieJar.has(name) ? { name, value: cookieJar.get(name)! } : undefined),
    set: (name: string, value: string, options: Record<string, unknown> = {}) => {
      cookieJar.set(name, value);
      cookieOptions.set(name, options);
    },
    delete: (name: string) => void cookieJar.delete(name),
  };
}

export async function headers() {
  return new Headers(requestHeaders);
}
