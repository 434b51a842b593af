"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { audited, recordAudit } from "@/lib/audit/record.server";
import { requireRole } from "@/lib/auth/authorize.server";
import { roleMappingSchema } from "@/lib/auth/group-roles";
import { ROLES } from "@/lib/auth/roles";
import { revokeSession } from "@/lib/auth/sessions.server";
import {
  addRoleMapping,
  deleteRoleMapping,
  setUserActive,
  setUserRole,
  type UserChange,
} from "@/lib/auth/users.server";

export interface UsersFormState {
  ok?: boolean;
  error?: "invalid" | "notFound" | "localAccount" | "self" | "duplicate";
}

const idSchema = z.string().min(1).max(100);
const field = (form: FormData, name: string) => {
  const value = form instanceof FormData ? form.get(name) : null;
  return typeof value === "string" ? value.trim() : "";
};

function refresh() {
  revalidatePath("/settings/users");
}

const userTarget = (change: UserChange, id: string) => ({
  type: "user",
  id,
  name: change.ok ? change.after.username : null,
});

/** Assigns a role (admin). It applies to the user's next request. */
export async function setUserRoleAction(_previous: UsersFormState, form: FormData): Promise<UsersFormState> {
  const admin = await requireRole("admin", { action: "user.role" });
  const id = idSchema.safeParse(field(form, "userId"));
  const role = z.enum(ROLES).safeParse(field(form, "role"));
  if (!id.success || !role.success) return { error: "invalid" };
  const change = await setUserRole(admin.id, id.data, role.data);
  if (!change.ok) return { error: change.error };
  if (change.before.role !== change.after.role) {
    await recordAudit({
      actor: admin,
      action: "user.role",
      target: userTarget(change, id.data),
      result: "ok",
      message: `${change.before.role} → ${change.after.role}`,
    });
  }
  refresh();
  return { ok: true };
}

/** Deactivates (signs out everywhere, refuses sign-in) or reactivates a GitLab user (admin). */
export async function setUserActiveAction(form: FormData): Promise<UsersFormState> {
  const admin = await requireRole("admin", { action: "user.deactivate" });
  const id = idSchema.safeParse(field(form, "userId"));
  const active = field(form, "active");
  if (!id.success || (active !== "true" && active !== "false")) return { error: "invalid" };
  const change = await setUserActive(admin.id, id.data, active === "true");
  if (!change.ok) return { error: change.error };
  await recordAudit({
    actor: admin,
    action: active === "true" ? "user.activate" : "user.deactivate",
    target: userTarget(change, id.data),
    result: "ok",
  });
  refresh();
  return { ok: true };
}

/** Ends anyone's session (admin). */
export async function revokeUserSessionAction(form: FormData): Promise<UsersFormState> {
  const admin = await requireRole("admin", { action: "session.revoke" });
  const id = idSchema.safeParse(field(form, "sessionId"));
  if (!id.success) return { error: "invalid" };
  const revoked = await revokeSession(admin, id.data);
  if (!revoked.ok) return { error: "notFound" };
  await recordAudit({
    actor: admin,
    action: "session.revoke",
    target: { type: "session", id: revoked.session.id.slice(0, 12), name: revoked.session.username },
    result: "ok",
  });
  refresh();
  return { ok: true };
}

/** Adds a GitLab group → role rule (admin); it applies to everyone's next request. */
export async function addRoleMappingAction(_previous: UsersFormState, form: FormData): Promise<UsersFormState> {
  const admin = await requireRole("admin", { action: "role-mapping.create" });
  const rule = roleMappingSchema.safeParse({
    groupPath: field(form, "groupPath"),
    minAccess: field(form, "minAccess"),
    role: field(form, "role"),
  });
  if (!rule.success) return { error: "invalid" };
  const added = await audited(
    {
      actor: admin,
      action: "role-mapping.create",
      target: { type: "role-mapping", name: `${rule.data.groupPath} (${rule.data.minAccess})` },
    },
    () => addRoleMapping(rule.data),
    (done) =>
      done.ok
        ? {
            result: "ok",
            message: `→ ${rule.data.role}`,
            target: {
              type: "role-mapping",
              id: done.mapping.id,
              name: `${rule.data.groupPath} (${rule.data.minAccess})`,
            },
          }
        : { result: "error", message: "a rule for this group and access exists" },
  );
  if (!added.ok) return { error: added.error };
  refresh();
  return { ok: true };
}

export async function deleteRoleMappingAction(form: FormData): Promise<UsersFormState> {
  const admin = await requireRole("admin", { action: "role-mapping.delete" });
  const id = idSchema.safeParse(field(form, "mappingId"));
  if (!id.success) return { error: "invalid" };
  const removed = await deleteRoleMapping(id.data);
  if (!removed) return { error: "notFound" };
  await recordAudit({
    actor: admin,
    action: "role-mapping.delete",
    target: { type: "role-mapping", id: removed.id, name: `${removed.groupPath} (${removed.minAccess})` },
    result: "ok",
    message: `was → ${removed.role}`,
  });
  refresh();
  return { ok: true };
}
