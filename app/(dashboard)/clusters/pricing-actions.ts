"use server";

import { revalidatePath } from "next/cache";
import { requireRole } from "@/lib/auth/authorize.server";
import { recordAudit } from "@/lib/audit/record.server";
import { connectionPricingSchema } from "@/lib/cost/connection-pricing";
import { db } from "@/lib/db.server";
import { idSchema } from "@/lib/validations/connection";

export interface PricingFormState {
  ok?: boolean;
  /** Field name → the field is wrong. */
  fieldErrors?: Record<string, true>;
  notFound?: boolean;
  values?: Record<string, string>;
}

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim().slice(0, 100) : "";
}

/** Site, region and default backend a connection's pods are priced with (monitor, History, recorder). */
export async function saveConnectionPricingAction(
  _previous: PricingFormState,
  form: FormData,
): Promise<PricingFormState> {
  const user = await requireRole("admin", { action: "connection.update" });
  const id = idSchema.safeParse(text(form, "id"));
  if (!id.success) return { notFound: true };
  const values = {
    priceSite: text(form, "priceSite"),
    priceRegion: text(form, "priceRegion"),
    defaultBackend: text(form, "defaultBackend"),
  };
  const parsed = connectionPricingSchema.safeParse(values);
  if (!parsed.success) {
    return {
      fieldErrors: Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), true as const])),
      values,
    };
  }
  const updated = await db.connection.updateMany({ where: { id: id.data }, data: parsed.data });
  if (updated.count === 0) return { notFound: true };
  await recordAudit({
    actor: { id: user.id, username: user.username },
    action: "connection.update",
    target: { type: "connection", id: id.data },
    result: "ok",
    message: `pricing: ${parsed.data.priceSite} ${parsed.data.priceRegion}, default backend ${parsed.data.defaultBackend}`,
  });
  revalidatePath(`/clusters/${id.data}`);
  revalidatePath("/cost", "layout");
  return { ok: true };
}
