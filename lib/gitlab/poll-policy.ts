/**
 * How soon to ask GitLab again, pure. Webhooks carry the live status where the token could register
 * them; polling is the safety net there (a delivery GitLab gave up on) and the only source elsewhere.
 * Every poll costs requests against the token's rate limit (GitLab.com: 2000/min per user), so an
 * idle instance is asked rarely and a failing one backs off.
 */
export interface PollState {
  /** Jobs of our runners GitLab last called pending or running. */
  unfinishedJobs: number;
  /** Every watched project has a working hook. */
  webhooksLive: boolean;
  /** The last pass failed with this problem code (rateLimited, serverError, unreachable, ...). */
  lastProblem: string | null;
  /** The delay chosen last time, for backoff. */
  previousMs: number | null;
}

export const POLL = {
  busyNoHooksMs: 15_000,
  idleNoHooksMs: 60_000,
  busyWithHooksMs: 60_000,
  idleWithHooksMs: 300_000,
  maxBackoffMs: 600_000,
};

export function nextPollDelayMs(state: PollState): number {
  if (state.lastProblem) {
    const base = state.previousMs ?? POLL.idleNoHooksMs;
    return Math.min(POLL.maxBackoffMs, Math.max(POLL.idleNoHooksMs, base * 2));
  }
  if (state.webhooksLive) return state.unfinishedJobs > 0 ? POLL.busyWithHooksMs : POLL.idleWithHooksMs;
  return state.unfinishedJobs > 0 ? POLL.busyNoHooksMs : POLL.idleNoHooksMs;
}

/**
 * A woken connection (a webhook hinted at news, a user ran a pipeline) is passed at most once per
 * this gap after its last pass. Each pass asks GitLab again for every unfinished job (up to 250
 * requests), and while jobs run webhooks arrive all the time (about 13 per pipeline): the gap keeps
 * wakes from asking GitLab more often than polling without webhooks would (POLL.busyNoHooksMs). A
 * wake after a quiet spell runs the pass at once.
 */
export const WAKE_MIN_GAP_MS = POLL.busyNoHooksMs;

/**
 * When a woken connection's next pass is due: now, unless a pass started less than the gap ago; never
 * later than already due. A connection backing off after a failure (rate limited, down) is not woken.
 */
export function wokenDueAt(
  now: number,
  last: { startedAt: number; failed: boolean } | null,
  dueAt: number | null,
  gapMs = WAKE_MIN_GAP_MS,
): number {
  if (last?.failed && dueAt !== null) return dueAt;
  const lastPassStartedAt = last?.startedAt ?? null;
  const earliest = lastPassStartedAt === null ? now : Math.max(now, lastPassStartedAt + gapMs);
  return dueAt === null ? earliest : Math.min(dueAt, earliest);
}
