"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { createChannelAction, type AlertFormState } from "@/app/(dashboard)/cost/budgets/actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { CHANNEL_FORMATS } from "@/lib/alerts/formats";

/** Adds a webhook channel (admins). The URL and the secret go to the server and never come back. */
export function ChannelForm() {
  const t = useTranslations("alerts.channels");
  const [state, action, pending] = useActionState<AlertFormState, FormData>(createChannelAction, {});
  const error = (field: string): string | undefined =>
    state.fieldErrors?.[field] === true
      ? t(state.error === "duplicate" && field === "name" ? "errors.duplicate" : `errors.${field}`)
      : undefined;
  return (
    <form
      action={action}
      noValidate
      className="grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-2 dark:border-slate-800"
    >
      <h3 className="text-sm font-semibold sm:col-span-2">{t("addHeading")}</h3>
      <Field label={t("name")} name="name" error={error("name")}>
        <input defaultValue={state.values?.name ?? ""} autoComplete="off" className={inputClass} />
      </Field>
      <Field label={t("format")} name="format" error={error("format")}>
        <select defaultValue={state.values?.format ?? "json"} className={inputClass}>
          {CHANNEL_FORMATS.map((format) => (
            <option key={format} value={format}>
              {t(`formats.${format}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("url")} name="url" hint={t("urlHint")} error={error("url")}>
        <input type="password" autoComplete="off" placeholder="https://" className={inputClass} />
      </Field>
      <Field label={t("secret")} name="secret" hint={t("secretHint")} error={error("secret")}>
        <input type="password" autoComplete="off" className={inputClass} />
      </Field>
      <div className="flex items-center gap-3 sm:col-span-2">
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
