/**
 * Password sign-in throttling after OWASP's Authentication and Credential Stuffing cheat sheets:
 * limit guesses without handing strangers a way to lock someone out.
 *
 * - per address (any account): 20 failures in 15 minutes refuse that address — one machine
 *   spraying passwords over many accounts;
 * - per account and address: 5 failures refuse that account from that address only — the usual
 *   brute force, which therefore cannot lock the owner out from elsewhere;
 * - per account (any address): after 10 failures the account is refused to *unrecognised*
 *   clients only — a guessing attack spread over many addresses. A browser that signed in to the
 *   account before carries a device cookie (OWASP "device cookies") and is not refused, so a
 *   stranger's failures never lock out the owner's own browser;
 * - per device cookie: 5 failures distrust that cookie (a stolen one cannot buy unlimited guesses).
 *
 * Failed attempts are what counts; a success clears the account-and-address and device counters,
 * never the account-wide one (the attack may still be running).
 */
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const LOGIN_LIMITS = { address: 20, accountAndAddress: 5, account: 10, device: 5 } as const;

export interface LoginAttempt {
  address: string;
  username: string;
  /** The id in a valid device cookie issued to this account, if the client sent one. */
  deviceId?: string;
}

export type FailureCounter = keyof typeof LOGIN_LIMITS;

/** The LoginFailure keys an attempt counts against (usernames compared without case). */
export function failureKeys(attempt: LoginAttempt): Partial<Record<FailureCounter, string>> {
  const user = attempt.username.toLowerCase();
  return {
    address: `ip:${attempt.address}`,
    accountAndAddress: `user-ip:${user}|${attempt.address}`,
    account: `user:${user}`,
    ...(attempt.deviceId ? { device: `device:${attempt.deviceId}` } : {}),
  };
}

/** Which limit refuses the attempt, if any, given the failures in the window per counter. */
export function loginRefusal(
  failures: Partial<Record<FailureCounter, number>>,
  trustedDevice: boolean,
): FailureCounter | null {
  if ((failures.address ?? 0) >= LOGIN_LIMITS.address) return "address";
  if ((failures.accountAndAddress ?? 0) >= LOGIN_LIMITS.accountAndAddress) return "accountAndAddress";
  if (trustedDevice) return (failures.device ?? 0) >= LOGIN_LIMITS.device ? "device" : null;
  return (failures.account ?? 0) >= LOGIN_LIMITS.account ? "account" : null;
}
