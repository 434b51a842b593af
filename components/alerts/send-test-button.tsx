"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { sendTestAlertAction, type AlertFormState } from "@/app/(dashboard)/cost/budgets/actions";
import { Button } from "@/components/ui/button";

/** "Send test": one test message to this channel now, with the receiver's answer shown beside it. */
export function SendTestButton({ channel }: { channel: { id: string; name: string } }) {
  const t = useTranslations("alerts.channels");
  const [state, action, pending] = useActionState<AlertFormState, FormData>(sendTestAlertAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={channel.id} />
      <Button type="submit" variant="compact" disabled={pending} aria-label={t("testNamed", { name: channel.name })}>
        {t("test")}
      </Button>
      {state.test && (
        <span
          role="status"
          className={
            state.test.ok ? "text-xs text-green-700 dark:text-green-400" : "text-xs text-red-600 dark:text-red-400"
          }
        >
          {state.test.ok
            ? t("testOk", { detail: state.test.detail ?? "" })
            : t("testFailed", { detail: state.test.detail ?? "" })}
        </span>
      )}
      {state.error === "notFound" && (
        <span role="alert" className="text-xs text-red-600">
          {t("errors.notFound")}
        </span>
      )}
    </form>
  );
}
