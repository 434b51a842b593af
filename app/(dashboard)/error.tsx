"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

export default function DashboardError({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations("common");
  return (
    <div
      role="alert"
      className="mx-auto mt-12 max-w-xl rounded-xl border border-red-300 p-8 text-center dark:border-red-800"
    >
      <p>{t("error")}</p>
      <Button onClick={reset} variant="compact" className="mt-4">
        {t("retry")}
      </Button>
    </div>
  );
}
