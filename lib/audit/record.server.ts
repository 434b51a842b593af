import "server-only";
import { headers } from "next/headers";
import { clientAddress } from "@/lib/auth/client-address.server";
import { db } from "@/lib/db.server";
import { describeDatabaseError } from "@/lib/db/error-description";
import type { AuditAction, AuditResult } from "./actions";
import { auditMessage } from "./redact";

export interface AuditActor {
  id?: string | null;
  username: string;
}

export interface AuditTarget {
  type: string;
  id?: string | null;
  name?: string | null;
}

export interface AuditEntry {
  actor: AuditActor;
  action: AuditAction;
  target?: AuditTarget | null;
  result: AuditResult;
  /** Why it failed (or what it did); credentials in it are masked. */
  message?: string | null;
  /** The client address; read from the current request when left out. */
  address?: string | null;
  at?: Date;
}

const bounded = (text: string | null | undefined, max = 200) => (text ? text.slice(0, max) : null);

async function requestAddress(): Promise<string | null> {
  try {
    return clientAddress(await headers());
  } catch {
    // Outside a request (a script, the recorder): there is no client.
    return null;
  }
}

/**
 * Appends one entry. It never throws: a change that happened stays happened even if the log write
 * fails, so the failure is reported on the server log instead.
 */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  try {
    await db.auditEvent.create({
      data: {
        at: entry.at,
        actorId: entry.actor.id ?? null,
        actorName: bounded(entry.actor.username, 255) ?? "unknown",
        address: bounded(entry.address === undefined ? await requestAddress() : entry.address, 100),
        action: entry.action,
        targetType: bounded(entry.target?.type, 50),
        targetId: bounded(entry.target?.id),
        targetName: bounded(entry.target?.name),
        result: entry.result,
        message: auditMessage(entry.message),
      },
    });
  } catch (error) {
    // Not the driver's message: it can quote the SQL and the entry's values.
    console.error(`ask-ci: could not write the audit entry ${entry.action}: ${describeDatabaseError(error)}`);
  }
}

/** How a finished operation went, read from its return value (for operations that return failures). */
export type Outcome = { result: "ok" | "error"; message?: string | null; target?: AuditTarget | null };

function isNextControlFlow(error: unknown): boolean {
  // redirect() and notFound() throw errors whose digest starts with NEXT_; a redirect after a change is success.
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && digest.startsWith("NEXT_REDIRECT");
}

/**
 * Runs a change and records it: "ok", or "error" with the thrown or returned failure. `judge` reads a
 * returned value (e.g. { ok: false, problem }) as a failure and may name the target once it is known.
 */
export async function audited<T>(
  intent: { actor: AuditActor; action: AuditAction; target?: AuditTarget | null; address?: string | null },
  run: () => Promise<T>,
  judge: (value: T) => Outcome = () => ({ result: "ok" }),
): Promise<T> {
  let value: T;
  try {
    value = await run();
  } catch (error) {
    const ok = isNextControlFlow(error);
    await recordAudit({
      ...intent,
      result: ok ? "ok" : "error",
      message: ok ? null : error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
  const outcome = judge(value);
  await recordAudit({
    ...intent,
    target: outcome.target ?? intent.target,
    result: outcome.result,
    message: outcome.message,
  });
  return value;
}
