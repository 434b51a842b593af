"use server";

import { revalidatePath } from "next/cache";
import { recordAudit } from "@/lib/audit/record.server";
import { auditRetentionDays, auditRetentionSchema, pruneAuditLog, setAuditRetentionDays } from "@/lib/audit/log.server";
import { requireRole } from "@/lib/auth/authorize.server";

export interface RetentionFormState {
  ok?: boolean;
  invalid?: boolean;
  /** Entries deleted because they are now older than the retention. */
  pruned?: number;
}

/** Sets how many days audit entries are kept (admin), and prunes at once. */
export async function setAuditRetentionAction(
  _previous: RetentionFormState,
  form: FormData,
): Promise<RetentionFormState> {
  const admin = await requireRole("admin", { action: "settings.audit-retention" });
  const days = auditRetentionSchema.safeParse(form instanceof FormData ? form.get("days") : undefined);
  if (!days.success) return { invalid: true };
  const before = await auditRetentionDays();
  await setAuditRetentionDays(days.data);
  await recordAudit({
    actor: admin,
    action: "settings.audit-retention",
    target: { type: "settings", id: "audit.retentionDays", name: "audit log retention" },
    result: "ok",
    message: `${before} → ${days.data} days`,
  });
  const pruned = await pruneAuditLog();
  revalidatePath("/settings/audit");
  return { ok: true, pruned };
}
