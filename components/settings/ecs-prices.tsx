"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { deleteEcsPriceAction, saveEcsPriceAction, type SettingsFormState } from "@/app/(dashboard)/settings/actions";
import { useCan } from "@/components/auth/role-context";
import type { EcsPriceDto } from "@/lib/cost/ecs-prices.server";
import { formatMoney } from "@/lib/cost/money";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { Table, TBody, Td, TdActions, Th, ThActions, THead } from "@/components/ui/table";

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
      <Field label={t("fields.currency")}>
        <select
          name="currency"
          defaultValue={state.values?.currency ?? editing?.currency ?? "CNY"}
          className={inputClass}
        >
          <option value="CNY">CNY (¥)</option>
          <option value="USD">USD (US$)</option>
        </select>
      </Field>
      <div className="flex items-center gap-3 sm:col-span-3">
        <Button type="submit" disabled={pending} variant="primary">
          {editing ? t("saveEdit") : t("add")}
        </Button>
        {editing && (
          <Button onClick={onDone} variant="quietLink" className="text-sm">
            {t("cancel")}
          </Button>
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
  const canEdit = useCan("admin");
  const [editing, setEditing] = useState<EcsPriceRow | null>(null);
  // A new key after each save empties the add form.
  const [formKey, setFormKey] = useState(0);
  return (
    <div className="space-y-4">
      {prices.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{t("empty")}</p>
      ) : (
        <Table framed={false}>
          <THead>
            <Th>{t("fields.name")}</Th>
            <Th>{t("fields.region")}</Th>
            <Th numeric>{t("fields.monthlyPrice")}</Th>
            <Th numeric>{t("shape")}</Th>
            <ThActions label={t("actions")} />
          </THead>
          <TBody>
            {prices.map((price) => (
              <tr key={price.id}>
                <Td className="font-medium">{price.name}</Td>
                <Td>{price.region}</Td>
                <Td numeric>{formatMoney(price.monthlyPrice, price.currency)}</Td>
                <Td numeric>
                  {price.vcpu !== null || price.memoryGiB !== null
                    ? `${price.vcpu ?? "?"} vCPU / ${price.memoryGiB ?? "?"} GiB`
                    : "—"}
                </Td>
                <TdActions>
                  <a
                    className="text-orange-700 hover:underline dark:text-orange-300"
                    href={`/cost?ecs=${encodeURIComponent(price.monthlyPrice)}&site=${price.currency === "USD" ? "intl" : "cn"}`}
                  >
                    {t("compare")}
                  </a>
                  {canEdit && (
                    <>
                      <Button onClick={() => setEditing(price)} variant="link">
                        {t("edit")}
                      </Button>
                      <form action={deleteEcsPriceAction}>
                        <input type="hidden" name="id" value={price.id} />
                        <Button type="submit" variant="dangerLink" aria-label={t("deleteNamed", { name: price.name })}>
                          {t("delete")}
                        </Button>
                      </form>
                    </>
                  )}
                </TdActions>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      {canEdit && (
        <EcsPriceForm
          key={editing ? `edit-${editing.id}` : `add-${formKey}`}
          editing={editing}
          onDone={() => {
            setEditing(null);
            setFormKey((key) => key + 1);
          }}
        />
      )}
    </div>
  );
}
