"use server";

import { revalidatePath } from "next/cache";
import { audited, recordAudit } from "@/lib/audit/record.server";
import { requireRole } from "@/lib/auth/authorize.server";
import { deleteEcsPrice, findEcsPrice, saveEcsPrice } from "@/lib/cost/ecs-prices.server";
import { resetPriceBook, savePriceBook } from "@/lib/cost/price-book.server";
import { ACS_PRICE_KEYS, siteCurrency, type Site } from "@/lib/cost/prices";

export interface SettingsFormState {
  ok?: boolean;
  /** Field name → the field is wrong; the form shows the field's message from the catalog. */
  fieldErrors?: Record<string, true>;
  error?: "notFound" | "duplicate";
  /** What was submitted, shown again after an error (React resets a form after its action). */
  values?: Record<string, string>;
}

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

function submitted(form: FormData, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, text(form, name).slice(0, 500)]));
}

const PRICE_BOOK_FIELDS = [
  "region",
  "vcpuPerSecond",
  "memoryGiBPerSecond",
  "economyVcpuPerSecond",
  "source",
  ...ACS_PRICE_KEYS,
] as const;
const ECS_PRICE_FIELDS = ["name", "region", "currency", "monthlyPrice", "vcpu", "memoryGiB"] as const;

function site(form: FormData): Site | null {
  const value = text(form, "site");
  return value === "cn" || value === "intl" ? value : null;
}

function refresh(): void {
  revalidatePath("/settings");
  revalidatePath("/cost", "layout");
}

export async function savePriceBookAction(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  const user = await requireRole("admin", { action: "price-book.save" });
  const chosen = site(form);
  if (!chosen) return { fieldErrors: { site: true } };
  const region = text(form, "region") || "default";
  const target = { type: "price-book", id: `${chosen}/${region}`, name: `${chosen}/${region}` };
  const result = await audited(
    { actor: user, action: "price-book.save", target },
    () =>
      savePriceBook({
        site: chosen,
        region,
        // The currency follows the site: the form does not offer a choice that could only be wrong.
        currency: siteCurrency(chosen),
        vcpuPerSecond: text(form, "vcpuPerSecond"),
        memoryGiBPerSecond: text(form, "memoryGiBPerSecond"),
        economyVcpuPerSecond: text(form, "economyVcpuPerSecond") || null,
        // The ACS lines as shown (prefilled with the book's); only the changed ones are stored.
        acsPrices: Object.fromEntries(
          ACS_PRICE_KEYS.map((key) => [key, text(form, key).slice(0, 40)]).filter(([, value]) => value !== ""),
        ),
        source: text(form, "source").slice(0, 500) || null,
      }),
    (done) =>
      done.success
        ? {
            result: "ok",
            message: `vCPU ${done.book.prices["eci.vcpu"].perSecond}/s, memory ${done.book.prices["eci.memory"].perSecond}/GiB·s ${done.book.currency}`,
          }
        : { result: "error", message: `invalid: ${done.error.issues.map((issue) => issue.path.join(".")).join(", ")}` },
  );
  if (!result.success) {
    return {
      fieldErrors: Object.fromEntries(
        result.error.issues.map((issue) => [String(issue.path[0] ?? "form"), true as const]),
      ),
      values: submitted(form, PRICE_BOOK_FIELDS),
    };
  }
  refresh();
  return { ok: true };
}

export async function resetPriceBookAction(form: FormData): Promise<void> {
  const user = await requireRole("admin", { action: "price-book.reset" });
  const chosen = site(form);
  const region = text(form, "region");
  if (!chosen || !/^(default|[a-z]{2}(-[a-z0-9]+)+)$/.test(region)) return;
  const target = { type: "price-book", id: `${chosen}/${region}`, name: `${chosen}/${region}` };
  await audited({ actor: user, action: "price-book.reset", target }, () => resetPriceBook(chosen, region));
  refresh();
}

export async function saveEcsPriceAction(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  const user = await requireRole("admin", { action: "ecs-price.save" });
  const id = text(form, "id") || undefined;
  const result = await saveEcsPrice(
    {
      name: text(form, "name"),
      region: text(form, "region") || undefined,
      currency: text(form, "currency"),
      monthlyPrice: text(form, "monthlyPrice"),
      vcpu: text(form, "vcpu"),
      memoryGiB: text(form, "memoryGiB"),
    },
    id,
  );
  const target = {
    type: "ecs-price",
    id: result.success ? result.id : (id ?? null),
    name: text(form, "name").slice(0, 200),
  };
  await recordAudit({
    actor: user,
    action: "ecs-price.save",
    target,
    result: result.success ? "ok" : "error",
    message: result.success
      ? `${text(form, "monthlyPrice")} ${text(form, "currency")} a month`
      : result.duplicate
        ? "a price with this name exists"
        : result.notFound
          ? "no such price"
          : `invalid: ${Object.keys(result.fieldErrors).join(", ")}`,
  });
  if (!result.success) {
    const values = submitted(form, ECS_PRICE_FIELDS);
    if (result.duplicate) return { error: "duplicate", fieldErrors: { name: true }, values };
    if (result.notFound) return { error: "notFound", values };
    return {
      fieldErrors: Object.fromEntries(Object.keys(result.fieldErrors).map((field) => [field, true as const])),
      values,
    };
  }
  refresh();
  return { ok: true };
}

export async function deleteEcsPriceAction(form: FormData): Promise<void> {
  const user = await requireRole("admin", { action: "ecs-price.delete" });
  const id = text(form, "id").slice(0, 64);
  const existing = id ? await findEcsPrice(id) : null;
  if (existing) {
    await audited(
      { actor: user, action: "ecs-price.delete", target: { type: "ecs-price", id, name: existing.name } },
      () => deleteEcsPrice(id),
    );
  }
  refresh();
}
