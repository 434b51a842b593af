/**
 * When to try a GitLab request again, and how long to wait first. Pure, so the policy is tested
 * without a clock or a server.
 *
 * GitLab answers 429 with `Retry-After` (seconds) and `RateLimit-Reset` (Unix seconds) and sends
 * `RateLimit-Remaining` on every rate-limited path (docs: user/gitlab_com/index.md#rate-limits,
 * administration/settings/user_and_ip_rate_limits.md#response-headers). 502/503/504 are the
 * load balancer or a restarting Puma; a request that never reached GitLab (refused, reset) may be
 * sent again only when repeating it cannot do anything twice.
 */

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the caller gets the error instead. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxWaitMs: 60_000,
};

export type Outcome = { kind: "response"; status: number; headers: Headers } | { kind: "network"; code: string };

const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);
// Errors raised before a byte of the request could have been processed by GitLab.
const NOT_SENT = new Set(["ECONNREFUSED", "EAI_AGAIN", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/**
 * Milliseconds to wait before attempt `attempt + 1`, or null to give up now. `attempt` counts from 1.
 * `random` in [0, 1) spreads concurrent clients (full jitter on the exponential part).
 */
export function retryDelay(
  outcome: Outcome,
  method: string,
  attempt: number,
  now: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: number = Math.random(),
): number | null {
  if (attempt >= policy.maxAttempts) return null;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(backoff / 2 + (backoff / 2) * random);
  if (outcome.kind === "network") {
    if (NOT_SENT.has(outcome.code)) return jittered;
    return IDEMPOTENT.has(method.toUpperCase()) && (outcome.code === "ECONNRESET" || outcome.code === "ETIMEDOUT")
      ? jittered
      : null;
  }
  if (!TRANSIENT_STATUS.has(outcome.status)) return null;
  // A 502/503/504 on a POST may have been processed (a runner created twice): only 429 is safe, GitLab refused it.
  if (outcome.status !== 429 && !IDEMPOTENT.has(method.toUpperCase())) return null;
  const told = serverWaitMs(outcome.headers, now);
  if (told !== null) return told > policy.maxWaitMs ? null : Math.max(told, 0);
  return jittered;
}

/** The wait GitLab asks for: Retry-After (seconds or HTTP date), else RateLimit-Reset when nothing remains. */
export function serverWaitMs(headers: Headers, now: number): number | null {
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null && retryAfter.trim() !== "") {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return rateLimitResetWaitMs(headers, now);
}

/**
 * After any answer: when `RateLimit-Remaining` is 0, the next request should wait until
 * `RateLimit-Reset`, instead of spending a request on a certain 429.
 */
export function rateLimitResetWaitMs(headers: Headers, now: number): number | null {
  const remaining = headers.get("ratelimit-remaining");
  const reset = headers.get("ratelimit-reset");
  if (remaining === null || reset === null || Number(remaining) > 0) return null;
  const resetSeconds = Number(reset);
  if (!Number.isFinite(resetSeconds)) return null;
  return Math.max(0, resetSeconds * 1000 - now);
}
