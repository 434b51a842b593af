import type { IncomingHttpHeaders } from "node:http";

/** Headers a client may send to claim where it is or which host it asked for. */
const FORWARDING_HEADERS = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-real-ip",
  "forwarded",
];

function entries(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(",") : (value ?? "");
  return joined
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * Settles, before Next.js sees a request, which forwarding headers can be believed (changes
 * `headers` in place). Next.js fills `x-forwarded-for` from the socket only when the header is
 * absent, and checks server actions' Origin against `x-forwarded-host` before `host`, so a client
 * could choose its own address (escaping the login limits) and its own host.
 *
 * - No trusted proxy: every forwarding header is the client's invention and is removed; the
 *   address is the socket's. Next.js then fills host and protocol from the request itself.
 * - Behind a trusted proxy (ASK_CI_TRUST_PROXY): only the last `x-forwarded-for` entry, the one
 *   the proxy appended for the peer it saw, is kept; entries before it came from the client. The
 *   proxy's `x-forwarded-host` / `-proto` stay (it sets them), first value only.
 */
export function settleForwardedHeaders(
  headers: IncomingHttpHeaders,
  socketAddress: string | undefined,
  trustProxy: boolean,
): void {
  const forwardedFor = entries(headers["x-forwarded-for"]);
  const host = entries(headers["x-forwarded-host"])[0];
  const proto = entries(headers["x-forwarded-proto"])[0];
  for (const name of FORWARDING_HEADERS) delete headers[name];
  const address = trustProxy ? (forwardedFor.at(-1) ?? socketAddress) : socketAddress;
  if (address) headers["x-forwarded-for"] = address;
  if (trustProxy) {
    if (host) headers["x-forwarded-host"] = host;
    if (proto === "https" || proto === "http") headers["x-forwarded-proto"] = proto;
  }
}

/** The client address settleForwardedHeaders left for the app, or "unknown". */
export function clientAddressFrom(headers: Headers): string {
  return entries(headers.get("x-forwarded-for") ?? undefined).at(-1) ?? "unknown";
}
