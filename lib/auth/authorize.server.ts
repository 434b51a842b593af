import "server-only";
import { forbidden } from "next/navigation";
import { NextResponse } from "next/server";
import type { AuditAction } from "@/lib/audit/actions";
import { recordAudit, type AuditTarget } from "@/lib/audit/record.server";
import { authenticateRequest, requireUser } from "./guard.server";
import { hasRole, type Role } from "./roles";
import type { SessionUser } from "./session.server";

/** What a refused request was trying to do, for the audit log's "denied" entry. */
export interface DeniedIntent {
  action: AuditAction;
  target?: AuditTarget | null;
}

/** The message a 403 carries: which role the request needs. */
export function roleRequiredMessage(required: Role): string {
  return `This needs the ${required} role; ask an admin to change yours.`;
}

async function recordDenied(user: SessionUser, required: Role, intent?: DeniedIntent, address?: string | null) {
  if (!intent) return;
  await recordAudit({
    actor: { id: user.id, username: user.username },
    action: intent.action,
    target: intent.target,
    result: "denied",
    message: `role ${user.role}, needs ${required}`,
    address,
  });
}

/**
 * For pages and server actions: the signed-in user when their current role is at least `required`;
 * otherwise a redirect to /login (no session) or Next's forbidden() (HTTP 403, app/forbidden.tsx).
 */
export async function requireRole(required: Role, intent?: DeniedIntent): Promise<SessionUser> {
  const user = await requireUser();
  if (hasRole(user.role, required)) return user;
  await recordDenied(user, required, intent);
  forbidden();
}

type RouteAuthorization = { user: SessionUser; error?: never } | { user?: never; error: NextResponse };

/**
 * For route handlers: the user, or the JSON error to answer: 401 without a valid session, 403 for a
 * cross-origin change (authenticateRequest) or a role below `required`.
 */
export async function authorizeRequest(
  request: Request,
  required: Role,
  intent?: DeniedIntent,
): Promise<RouteAuthorization> {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth;
  if (hasRole(auth.user.role, required)) return auth;
  await recordDenied(auth.user, required, intent);
  return { error: NextResponse.json({ error: roleRequiredMessage(required) }, { status: 403 }) };
}
