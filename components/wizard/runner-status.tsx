"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import type { RunnerStatus } from "@/lib/wizard/runner-status.server";
import Link from "next/link";
import { Card } from "@/components/ui/card";

/** The runner as it is in the cluster now; reloaded whenever `refreshKey` changes (after a run). */
export function RunnerStatusPanel({
  profileId,
  refreshKey,
  monitorHref = null,
}: {
  profileId: string;
  refreshKey: unknown;
  monitorHref?: string | null;
}) {
  const t = useTranslations("setup.status");
  const [status, setStatus] = useState<RunnerStatus>();
  useEffect(() => {
    let current = true;
    fetch(`/api/setup/profiles/${profileId}/status`)
      .then((r) => (r.ok ? (r.json() as Promise<RunnerStatus>) : undefined))
      .then((s) => current && setStatus(s))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [profileId, refreshKey]);
  if (!status) return null;
  return (
    <Card as="section" className="text-sm" data-testid="runner-status" data-state={status.state}>
      <h3 className="mb-1 font-semibold">{t("title")}</h3>
      {status.state === "notInstalled" && <p className="text-slate-500 dark:text-slate-400">{t("notInstalled")}</p>}
      {status.state === "unknown" && (
        <p className="text-amber-700 dark:text-amber-400">{t("unknown", { message: status.message })}</p>
      )}
      {status.state === "installed" && (
        <>
          <p
            className={
              status.rollout.available ? "text-green-700 dark:text-green-400" : "text-amber-700 dark:text-amber-400"
            }
          >
            {status.rollout.available ? t("running") : t("notReady")}: {status.rollout.message}
          </p>
          <ul className="mt-1 font-mono text-xs">
            {status.rollout.pods.map((pod) => (
              <li key={pod.name}>
                {pod.name}: {pod.phase}
                {pod.reason ? ` (${pod.reason})` : ""}
              </li>
            ))}
          </ul>
          {monitorHref && (
            <Link
              href={monitorHref}
              className="mt-2 inline-block text-orange-700 hover:underline dark:text-orange-400"
              data-testid="runner-monitor-link"
            >
              {t("openMonitor")}
            </Link>
          )}
        </>
      )}
    </Card>
  );
}
