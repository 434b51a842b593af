"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { deleteEcsPriceAction, saveEcsPriceAction, type SettingsFormState } from "@/app/(dashboard)/settings/actions";
import type { EcsPriceDto } from "@/lib/cost/ecs-prices.server";
import { formatMoney } from "@/lib/cost/money";

const inputClass =
  "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950";

export type EcsPriceRow = Omit<EcsPriceDto, "updatedAt">;

const TEXT_FIELDS = ["name", "region", "monthlyPrice", "vcpu", "memoryGiB"] as const;

function EcsPriceForm({ editing, onDone }: { editing: EcsPriceRow | null; onDone: () => void }) {
  const t = useTranslations("settings.ecs");
  const [state, action, pending] = useActionState<SettingsFormState, FormData>(async (previous, form) => {
    const next = await saveEcsPriceAction(previous, form);
    if (next.ok) onDone();
    return next;
  }, {});
  const invalid = (field: string) => state.fieldErrors?.[field] === true;
  return (
    <form
      action={action}
      noValidate
      className="grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-3 dark:border-slate-800"
    >
      <h3 className="text-sm font-semibold sm:col-span-3">
        {editing ? t("editHeading", { name: editing.name }) : t("addHeading")}
      </h3>
      {editing && <input type="hidden" name="id" value={editing.id} />}
      {TEXT_FIELDS.map((field) => (
        <label key={field} className="block text-sm font-medium">
          {t(`fields.${field}`)}
          <input
            name={field}
            defaultValue={
              state.values?.[field] ??
              (editing ? String(editing[field] ?? "") : field === "region" ? "cn-hangzhou" : "")
            }
            autoComplete="off"
            inputMode={field === "name" || field === "region" ? undefined : "decimal"}
            aria-invalid={invalid(field) || undefined}
            className={inputClass}
          />
          {invalid(field) && (
            <span role="alert" className="mt-1 block text-xs font-normal text-red-600 dark:text-red-400">
              {t(field === "name" && state.error === "duplicate" ? "errors.duplicate" : `errors.${field}`)}
            </span>
          )}
        </label>
      ))}
      <label className="block text-sm font-medium">
        {t("fields.currency")}
        <select
          name="currency"
          defaultValue={state.values?.currency ?? editing?.currency ?? "CNY"}
          className={inputClass}
        >
          <option value="CNY">CNY (¥)</option>
          <option value="USD">USD (US$)</option>
        </select>
      </label>
      <div className="flex items-center gap-3 sm:col-span-3">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-orange-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-orange-700 disabled:opacity-60"
        >
          {editing ? t("saveEdit") : t("add")}
        </button>
        {editing && (
          <button type="button" onClick={onDone} className="text-sm text-slate-600 hover:underline dark:text-slate-400">
            {t("cancel")}
          </button>
        )}
        {state.error === "notFound" && (
          <span role="alert" className="text-sm text-red-600">
            {t("errors.notFound")}
          </span>
        )}
      </div>
    </form>
  );
}

/** The prepaid ECS prices: a table with edit and delete, and a form to add one. */
export function EcsPrices({ prices }: { prices: EcsPriceRow[] }) {
  const t = useTranslations("settings.ecs");
  const [editing, setEditing] = useState<EcsPriceRow | null>(null);
  // A new key after each save empties the add form.
  const [formKey, setFormKey] = useState(0);
  return (
    <div className="space-y-4">
      {prices.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{t("empty")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 pr-3">{t("fields.name")}</th>
                <th className="py-2 pr-3">{t("fields.region")}</th>
                <th className="py-2 pr-3 text-right">{t("fields.monthlyPrice")}</th>
                <th className="py-2 pr-3 text-right">{t("shape")}</th>
                <th className="py-2 pr-3">
                  <span className="sr-only">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {prices.map((price) => (
                <tr key={price.id} className="border-t border-slate-200 dark:border-slate-800">
                  <td className="py-2 pr-3 font-medium">{price.name}</td>
                  <td className="py-2 pr-3">{price.region}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">
                    {formatMoney(price.monthlyPrice, price.currency)}
                  </td>
                  <td className="py-2 pr-3 text-right tabular-nums">
                    {price.vcpu !== null || price.memoryGiB !== null
                      ? `${price.vcpu ?? "?"} vCPU / ${price.memoryGiB ?? "?"} GiB`
                      : "—"}
                  </td>
                  <td className="py-2 pr-3">
                    <div className="flex justify-end gap-3">
                      <a
                        className="text-orange-700 hover:underline dark:text-orange-300"
                        href={`/cost?ecs=${encodeURIComponent(price.monthlyPrice)}&site=${price.currency === "USD" ? "intl" : "cn"}`}
                      >
                        {t("compare")}
                      </a>
                      <button
                        type="button"
                        onClick={() => setEditing(price)}
                        className="text-orange-700 hover:underline dark:text-orange-300"
                      >
                        {t("edit")}
                      </button>
                      <form action={deleteEcsPriceAction}>
                        <input type="hidden" name="id" value={price.id} />
                        <button
                          type="submit"
                          className="text-red-700 hover:underline dark:text-red-400"
                          aria-label={t("deleteNamed", { name: price.name })}
                        >
                          {t("delete")}
                        </button>
                      </form>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <EcsPriceForm
        key={editing ? `edit-${editing.id}` : `add-${formKey}`}
        editing={editing}
        onDone={() => {
          setEditing(null);
          setFormKey((key) => key + 1);
        }}
      />
    </div>
  );
}
