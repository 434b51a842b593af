"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { RunnerActivity } from "@/lib/monitor/runner-events";
import { Button } from "@/components/ui/button";
import { LogViewer } from "./log-viewer";
import { monitorKeys } from "./query-keys";

const path = (...parts: string[]) => `/api/monitor/${parts.map(encodeURIComponent).join("/")}`;

async function fetchActivity(url: string): Promise<RunnerActivity> {
  const response = await fetch(url, { cache: "no-store" });
  const body = (await response.json().catch(() => ({}))) as RunnerActivity & { error?: string };
  if (!response.ok) throw new Error(body.error ?? response.statusText);
  return body;
}

/**
 * A runner's own side: the manager pod's log (the pods/log route, with the log viewer's tools) and
 * the events of its Deployment, ReplicaSets and pods, refreshed every 10 seconds while open.
 */
export function RunnerPanel({
  cluster,
  namespace,
  name,
  onClose,
}: {
  cluster: string;
  namespace: string;
  name: string;
  onClose: () => void;
}) {
  const t = useTranslations("monitor.runnerPanel");
  const activity = useQuery({
    queryKey: monitorKeys.runner(cluster, namespace, name),
    queryFn: () => fetchActivity(`${path("runners", namespace, name)}?${new URLSearchParams({ cluster })}`),
    refetchInterval: 10_000,
    retry: false,
  });
  const pods = activity.data?.pods ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const pod = pods.find((p) => p.name === chosen) ?? pods[0];

  return (
    <aside
      aria-label={t("label", { name })}
      className="fixed inset-y-0 right-0 z-40 flex w-full max-w-2xl flex-col border-l border-slate-200 bg-white shadow-xl dark:border-slate-800 dark:bg-slate-950"
      data-testid="runner-panel"
    >
      <header className="flex items-start justify-between gap-3 border-b border-slate-200 p-4 dark:border-slate-800">
        <h2 className="truncate font-mono text-sm font-semibold">
          <span className="font-normal text-slate-500">{namespace}/</span>
          {name}
        </h2>
        <Button onClick={onClose} variant="compact">
          {t("close")}
        </Button>
      </header>
      <div className="flex-1 space-y-6 overflow-y-auto p-4 text-sm">
        {activity.error && <p className="text-red-600">{t("loadError", { error: activity.error.message })}</p>}
        <section>
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("logs")}</h3>
          {activity.data && pods.length === 0 && <p className="text-slate-500">{t("noPods")}</p>}
          {pod && (
            <>
              {pods.length > 1 && (
                <label className="mb-2 flex items-center gap-1 text-xs">
                  {t("pod")}
                  <select
                    value={pod.name}
                    onChange={(e) => setChosen(e.target.value)}
                    className="rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
                  >
                    {pods.map((p) => (
                      <option key={p.name} value={p.name}>
                        {p.name} ({p.phase})
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <LogViewer
                key={pod.name}
                cluster={cluster}
                podPath={path("pods", namespace, pod.name)}
                containers={pod.containers}
              />
            </>
          )}
        </section>
        <section>
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("events")}</h3>
          {activity.data &&
            (activity.data.events.length === 0 ? (
              <p className="text-slate-500">{t("noEvents")}</p>
            ) : (
              <ul className="space-y-1 text-xs" data-testid="runner-events">
                {activity.data.events.map((e) => (
                  <li key={e.uid} className={e.type === "Warning" ? "text-amber-700 dark:text-amber-400" : ""}>
                    <span className="font-mono text-slate-500">{e.object}</span>{" "}
                    <span className="font-semibold">{e.reason}</span> {e.message} {e.count > 1 ? `×${e.count}` : ""}
                  </li>
                ))}
              </ul>
            ))}
        </section>
      </div>
    </aside>
  );
}
