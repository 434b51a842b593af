"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { createBudgetAction, type AlertFormState } from "@/app/(dashboard)/cost/budgets/actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";

/** Adds a budget for a connection or one of its projects (operators and admins see it). */
export function BudgetForm({ connections }: { connections: Array<{ id: string; name: string; currency: string }> }) {
  const t = useTranslations("alerts.budgetForm");
  const [state, action, pending] = useActionState<AlertFormState, FormData>(createBudgetAction, {});
  const error = (field: string): string | undefined => {
    if (state.fieldErrors?.[field] !== true) return undefined;
    if (state.error === "duplicate" && field === "period") return t("errors.duplicate");
    if (state.error === "noConnection" && field === "connectionId") return t("errors.noConnection");
    return t(`errors.${field}`);
  };
  return (
    <form
      action={action}
      noValidate
      className="grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-4 dark:border-slate-800"
    >
      <h3 className="text-sm font-semibold sm:col-span-4">{t("heading")}</h3>
      <Field label={t("connection")} name="connectionId" error={error("connectionId")}>
        <select defaultValue={state.values?.connectionId ?? connections[0]?.id} className={inputClass}>
          {connections.map((connection) => (
            <option key={connection.id} value={connection.id}>
              {connection.name} ({connection.currency})
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("project")} name="projectPath" hint={t("projectHint")} error={error("projectPath")}>
        <input
          defaultValue={state.values?.projectPath ?? ""}
          placeholder="group/app"
          autoComplete="off"
          className={inputClass}
        />
      </Field>
      <Field label={t("period")} name="period" error={error("period")}>
        <select defaultValue={state.values?.period ?? "day"} className={inputClass}>
          <option value="day">{t("day")}</option>
          <option value="month">{t("month")}</option>
        </select>
      </Field>
      <Field label={t("amount")} name="amount" hint={t("amountHint")} error={error("amount")}>
        <input
          defaultValue={state.values?.amount ?? ""}
          inputMode="decimal"
          autoComplete="off"
          className={inputClass}
        />
      </Field>
      <div className="flex items-center gap-3 sm:col-span-4">
        <Button type="submit" variant="primary" disabled={pending}>
          {t("add")}
        </Button>
        {state.ok && (
          <span role="status" className="text-sm text-green-700 dark:text-green-400">
            {t("saved")}
          </span>
        )}
      </div>
    </form>
  );
}
