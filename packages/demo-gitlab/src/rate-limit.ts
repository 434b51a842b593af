/**
 * GitLab's user and IP rate limits (Rack::Attack throttles: throttle_authenticated_api per user,
 * throttle_unauthenticated_api per IP), with the RateLimit-* headers and a 429 with Retry-After.
 * Windows are fixed minutes, as Rack::Attack counts them.
 */
export class RateLimiter {
  private readonly counts = new Map<string, number>();
  private window = 0;

  constructor(
    readonly authenticatedPerMinute: number,
    readonly unauthenticatedPerMinute: number,
    private readonly now: () => number,
  ) {}

  check(key: string, authenticated: boolean): { allowed: boolean; headers: Record<string, string> } {
    const now = this.now();
    const window = Math.floor(now / 60_000);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const limit = authenticated ? this.authenticatedPerMinute : this.unauthenticatedPerMinute;
    const observed = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, observed);
    const resetAt = (window + 1) * 60;
    const headers: Record<string, string> = {
      "RateLimit-Name": authenticated ? "throttle_authenticated_api" : "throttle_unauthenticated_api",
      "RateLimit-Limit": String(limit),
      "RateLimit-Observed": String(observed),
      "RateLimit-Remaining": String(Math.max(0, limit - observed)),
      "RateLimit-Reset": String(resetAt),
      "RateLimit-ResetTime": new Date(resetAt * 1000).toUTCString(),
    };
    if (observed > limit) headers["Retry-After"] = String(Math.max(1, resetAt - Math.floor(now / 1000)));
    return { allowed: observed <= limit, headers };
  }
}
