/**
 * One-use tickets that hand a prepared shell from the app (a route handler inside Next.js, which
 * checked the user's role and the pod) to the custom server's WebSocket upgrade (server/, outside
 * Next.js). Kept on globalThis because the two load separate copies of this module, as
 * lib/lifecycle.ts explains. Not server-only: the custom server imports it. A ticket lives 30 s,
 * is bound to the session that asked for it and is taken at most once.
 */
import { randomBytes } from "node:crypto";
import type { ShellBrowser, ShellLimits } from "./bridge";

export const SHELL_SOCKET_PATH = "/ws/shell";
const TICKET_TTL_MS = 30_000;

export interface ShellTicket {
  /** Whether the upgrade request's Cookie header carries the session that asked for the ticket. */
  belongsTo(cookieHeader: string | undefined): boolean;
  limits: ShellLimits;
  /** Opens the exec stream and bridges it to the browser's socket (audited inside). */
  start(browser: ShellBrowser, address: string | null): void;
}

interface Registry {
  tickets: Map<string, { ticket: ShellTicket; expires: number }>;
}

const holder = globalThis as unknown as { askCiShellTickets?: Registry };

function registry(): Registry {
  holder.askCiShellTickets ??= { tickets: new Map() };
  return holder.askCiShellTickets;
}

function sweep(now: number): void {
  for (const [id, entry] of registry().tickets) if (entry.expires <= now) registry().tickets.delete(id);
}

export function issueShellTicket(ticket: ShellTicket, now = Date.now()): string {
  sweep(now);
  const id = randomBytes(32).toString("base64url");
  registry().tickets.set(id, { ticket, expires: now + TICKET_TTL_MS });
  return id;
}

/** The ticket, once, if it exists, has not expired and belongs to this browser's session. */
export function takeShellTicket(
  id: string,
  cookieHeader: string | undefined,
  now = Date.now(),
): ShellTicket | undefined {
  sweep(now);
  const entry = registry().tickets.get(id);
  if (!entry || !entry.ticket.belongsTo(cookieHeader)) return undefined;
  registry().tickets.delete(id);
  return entry.ticket;
}
