"use client";

import { useTranslations } from "next-intl";

export default function DashboardError({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations("common");
  return (
    <div
      role="alert"
      className="mx-auto mt-12 max-w-xl rounded-xl border border-red-300 p-8 text-center dark:border-red-800"
    >
      <p>{t("error")}</p>
      <button type="button" onClick={reset} className="mt-4 rounded-md border px-3 py-1 text-sm">
        {t("retry")}
      </button>
    </div>
  );
}
