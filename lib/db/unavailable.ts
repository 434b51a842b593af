/**
 * Whether an error means "the database cannot be reached right now" (down, restarting, network cut,
 * pool exhausted), as opposed to a fault in the query or the data. Pages use it to say so plainly
 * instead of failing as a crash; /readyz already answers 503 meanwhile.
 * Prisma's codes: https://www.prisma.io/docs/orm/reference/error-reference (P1001 can't reach the
 * server, P1002 timed out, P1008 operation timed out, P1017 server closed the connection, P2024 no
 * connection from the pool in time); @prisma/adapter-pg reports DatabaseNotReachable and friends.
 */
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
const UNAVAILABLE_NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "57P01",
  "57P03",
]);

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; kind?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  if (typeof e.code === "string" && (UNAVAILABLE_PRISMA_CODES.has(e.code) || UNAVAILABLE_NETWORK_CODES.has(e.code))) {
    return true;
  }
  if (typeof e.kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(e.kind)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1);
}
