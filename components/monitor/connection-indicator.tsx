"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { ConnectionStatus } from "@/lib/monitor/protocol";

const DOT: Record<ConnectionStatus["state"], string> = {
  connecting: "bg-slate-400",
  live: "bg-emerald-500",
  reconnecting: "bg-amber-500 animate-pulse",
};

/** Live, connecting, or reconnecting with the time the data went stale: never stale shown as live. */
export function ConnectionIndicator({ status }: { status: ConnectionStatus }) {
  const t = useTranslations("monitor.connection");
  const format = useFormatter();
  const label =
    status.state === "reconnecting"
      ? t("reconnecting", {
          time: format.dateTime(new Date(status.since), { hour: "2-digit", minute: "2-digit", second: "2-digit" }),
        })
      : t(status.state);
  return (
    <span
      role="status"
      data-state={status.state}
      title={status.error ? t("lastError", { error: status.error }) : undefined}
      className="inline-flex items-center gap-2 rounded-full border border-slate-300 px-3 py-1 text-xs font-medium dark:border-slate-700"
    >
      <span className={`h-2 w-2 rounded-full ${DOT[status.state]}`} aria-hidden />
      {label}
    </span>
  );
}
