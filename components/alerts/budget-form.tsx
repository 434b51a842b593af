"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { createBudgetAction, type AlertFormState } from "@/app/(dashboard)/cost/budgets/actions";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { FieldError } from "./form-message";

/** Adds a budget for a connection or one of its projects (operators and admins see it). */
export function BudgetForm({ connections }: { connections: Array<{ id: string; name: string; currency: string }> }) {
  const t = useTranslations("alerts.budgetForm");
  const [state, action, pending] = useActionState<AlertFormState, FormData>(createBudgetAction, {});
  const invalid = (field: string) => state.fieldErrors?.[field] === true;
  const error = (field: string) => {
    if (!invalid(field)) return null;
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
      <label className="block text-sm font-medium">
        {t("connection")}
        <select
          name="connectionId"
          defaultValue={state.values?.connectionId ?? connections[0]?.id}
          aria-invalid={invalid("connectionId") || undefined}
          className={inputClass}
        >
          {connections.map((connection) => (
            <option key={connection.id} value={connection.id}>
              {connection.name} ({connection.currency})
            </option>
          ))}
        </select>
        <FieldError message={error("connectionId")} />
      </label>
      <label className="block text-sm font-medium">
        {t("project")}
        <input
          name="projectPath"
          defaultValue={state.values?.projectPath ?? ""}
          placeholder="group/app"
          autoComplete="off"
          aria-invalid={invalid("projectPath") || undefined}
          className={inputClass}
        />
        <span className="mt-1 block text-xs font-normal text-slate-500">{t("projectHint")}</span>
        <FieldError message={error("projectPath")} />
      </label>
      <label className="block text-sm font-medium">
        {t("period")}
        <select
          name="period"
          defaultValue={state.values?.period ?? "day"}
          aria-invalid={invalid("period") || undefined}
          className={inputClass}
        >
          <option value="day">{t("day")}</option>
          <option value="month">{t("month")}</option>
        </select>
        <FieldError message={error("period")} />
      </label>
      <label className="block text-sm font-medium">
        {t("amount")}
        <input
          name="amount"
          defaultValue={state.values?.amount ?? ""}
          inputMode="decimal"
          autoComplete="off"
          aria-invalid={invalid("amount") || undefined}
          className={inputClass}
        />
        <span className="mt-1 block text-xs font-normal text-slate-500">{t("amountHint")}</span>
        <FieldError message={error("amount")} />
      </label>
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
