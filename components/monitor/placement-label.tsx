"use client";

import { useTranslations } from "next-intl";
import { isAcsComputeClass, isAcsQos } from "@ask-ci/billing/acs/labels";

/** "ECI" or "ACS general-purpose · best-effort": where a pod ran, and so which prices billed it. */
export function PlacementLabel({
  backend,
  computeClass,
  qos,
}: {
  backend: string;
  computeClass?: string | null;
  qos?: string | null;
}) {
  const t = useTranslations("monitor.placement");
  const text =
    backend === "acs"
      ? t("acs", {
          computeClass: isAcsComputeClass(computeClass) ? t(`classes.${computeClass}`) : (computeClass ?? ""),
          qos: isAcsQos(qos) ? t(`qos.${qos}`) : (qos ?? ""),
        })
      : t("eci");
  return (
    <span
      className="block text-[11px] leading-tight text-zinc-500 dark:text-zinc-400"
      data-testid="placement"
      data-backend={backend}
      data-compute-class={computeClass ?? undefined}
      data-qos={qos ?? undefined}
    >
      {text}
    </span>
  );
}
