"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record.server";
import { requireUser } from "@/lib/auth/guard.server";
import { revokeSession } from "@/lib/auth/sessions.server";

/**
 * Ends one of the user's own sessions (any role; an admin may end anyone's, see revokeSession).
 * Ending the current one signs this browser out on its next request.
 */
export async function revokeOwnSessionAction(form: FormData): Promise<{ ok: boolean }> {
  const user = await requireUser();
  const value = form instanceof FormData ? form.get("sessionId") : null;
  const id = z.string().min(1).max(100).safeParse(value);
  if (!id.success) return { ok: false };
  const revoked = await revokeSession(user, id.data);
  if (!revoked.ok) return { ok: false };
  await recordAudit({
    actor: user,
    action: "session.revoke",
    target: { type: "session", id: revoked.session.id.slice(0, 12), name: revoked.session.username },
    result: "ok",
  });
  revalidatePath("/settings/sessions");
  return { ok: true };
}
