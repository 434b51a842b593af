import { isDatabaseUnavailable } from "./unavailable";

/**
 * What a database failure was, safe for the server log: Prisma's error code (P2003 …), the driver
 * adapter's kind or the error's class, never its message. A driver's message can quote the SQL and
 * the values bound to it (a user's name, a target, a token someone pasted into a field).
 */
export function describeDatabaseError(error: unknown): string {
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    kind?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
  };
  const code = typeof e.code === "string" && /^[A-Z0-9_]{1,20}$/i.test(e.code) ? e.code : null;
  const adapterKind = e.meta?.driverAdapterError?.cause?.kind ?? e.kind;
  const kind = typeof adapterKind === "string" && /^[A-Za-z]{1,40}$/.test(adapterKind) ? adapterKind : null;
  const name = error instanceof Error && /^[A-Za-z]{1,60}$/.test(error.name) ? error.name : "unknown error";
  const what = [code, kind].filter(Boolean).join(" ") || name;
  return isDatabaseUnavailable(error) ? `database unavailable (${what})` : `database error (${what})`;
}
