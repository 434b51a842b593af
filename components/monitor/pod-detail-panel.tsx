"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useCan } from "@/components/auth/role-context";
import type { EventDto, PodDetail } from "@/lib/monitor/pod-detail";
import type { PodSummary } from "@/lib/monitor/pod-summary";
import { monitorKeys } from "./query-keys";
import { TerminalSection } from "./pod-terminal";
import { LogViewer } from "./log-viewer";
import { Button } from "@/components/ui/button";

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: "no-store" });
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw Object.assign(new Error(body.error ?? response.statusText), { status: response.status });
  return body;
}

function podPath(pod: PodSummary): string {
  return `/api/monitor/pods/${encodeURIComponent(pod.namespace)}/${encodeURIComponent(pod.name)}`;
}

export function PodDetailPanel({
  cluster,
  pod,
  deleted = false,
  onClose,
}: {
  cluster: string;
  pod: PodSummary;
  /** The pod left the cluster (its job ended): show what was last seen, ask the API nothing more. */
  deleted?: boolean;
  onClose: () => void;
}) {
  const t = useTranslations("monitor.detail");
  const gone = pod.phase === "Vanished" || deleted;
  // Deleting a pod fails its job: an operator's decision; the server refuses it for viewers too.
  const canDelete = useCan("operator");
  const detail = useQuery({
    queryKey: monitorKeys.detail(cluster, pod.namespace, pod.name, pod.resourceVersion),
    queryFn: () => fetchJson<PodDetail>(`${podPath(pod)}?${new URLSearchParams({ cluster })}`),
    enabled: !gone,
    retry: false,
    placeholderData: (previous) => previous,
  });
  // A pod's last update (deletion started) changes its resourceVersion; the refetch that follows
  // can land after the pod is gone and answer 404. Keep showing what was last read, the log
  // viewer with its loaded text included, instead of unmounting it with the failed query's data.
  const [lastDetail, setLastDetail] = useState<PodDetail | undefined>(undefined);
  if (detail.data && detail.data !== lastDetail) setLastDetail(detail.data);
  const shown = detail.data ?? lastDetail;

  return (
    <aside
      aria-label={pod.name}
      className="fixed inset-y-0 right-0 z-40 flex w-full max-w-2xl flex-col border-l border-slate-200 bg-white shadow-xl dark:border-slate-800 dark:bg-slate-950"
      data-testid="pod-detail"
    >
      <header className="flex items-start justify-between gap-3 border-b border-slate-200 p-4 dark:border-slate-800">
        <div className="min-w-0">
          <h2 className="truncate font-mono text-sm font-semibold">{pod.name}</h2>
          {pod.jobUrl && (
            <a
              href={pod.jobUrl}
              target="_blank"
              rel="noreferrer noopener"
              className="text-sm text-orange-700 hover:underline dark:text-orange-400"
            >
              {t("jobLink")} #{pod.jobId}
            </a>
          )}
        </div>
        <Button onClick={onClose} variant="compact">
          {t("close")}
        </Button>
      </header>
      <div className="flex-1 space-y-6 overflow-y-auto p-4 text-sm">
        {deleted && pod.phase !== "Vanished" ? (
          <p className="rounded-md bg-slate-100 px-3 py-2 dark:bg-slate-900" role="status" data-testid="pod-ended">
            {t("ended", { phase: pod.phase })}
          </p>
        ) : (
          gone && <p className="text-red-600">{t("gone")}</p>
        )}
        {detail.error && (
          <p className="text-red-600">
            {(detail.error as { status?: number }).status === 404
              ? t("gone")
              : t("loadError", { error: detail.error.message })}
          </p>
        )}
        {shown && <DetailBody cluster={cluster} pod={pod} detail={shown} />}
        {/* Events outlive their pod (an hour by default): still worth reading on the final state. */}
        {pod.phase !== "Vanished" && <EventsSection cluster={cluster} pod={pod} />}
        {shown && (
          <LogsSection
            cluster={cluster}
            pod={pod}
            containers={shown.containers.map((c) => ({ name: c.name, hasPrevious: c.hasPrevious }))}
          />
        )}
        {!gone && canDelete && detail.data && (
          // A shell in a job's container is an operator's tool, as deleting the pod is.
          <TerminalSection
            cluster={cluster}
            pod={pod}
            running={detail.data.containers.filter((c) => c.state === "running").map((c) => c.name)}
          />
        )}
        {!gone && canDelete && <DeleteSection cluster={cluster} pod={pod} />}
      </div>
    </aside>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section>
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      {children}
    </section>
  );
}

function KeyValues({ values }: { values: Record<string, string> }) {
  return (
    <dl className="grid grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)] gap-x-3 gap-y-1 font-mono text-xs">
      {Object.entries(values).map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="break-all text-slate-500">{key}</dt>
          <dd className="break-all">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function DetailBody({ detail }: { cluster: string; pod: PodSummary; detail: PodDetail }) {
  const t = useTranslations("monitor.detail");
  return (
    <>
      <Section title={t("containers")}>
        <ul className="space-y-3">
          {detail.containers.map((c) => (
            <li
              key={c.name}
              className="rounded-lg border border-slate-200 p-3 dark:border-slate-800"
              data-testid="container"
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-mono font-semibold">{c.name}</span>
                <span className="text-xs">
                  {t("state")}: {c.state}
                  {c.reason ? ` (${c.reason})` : ""}
                  {c.exitCode !== null ? ` exit ${c.exitCode}` : ""} · {t("restarts")}: {c.restarts}
                </span>
              </div>
              <p className="mt-1 truncate text-xs text-slate-500" title={c.image}>
                {t("image")}: {c.image}
              </p>
              <p className="mt-1 font-mono text-xs">
                {t("requests")}:{" "}
                {Object.entries(c.requests)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(", ") || "—"}{" "}
                · {t("limits")}:{" "}
                {Object.entries(c.limits)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(", ") || "—"}
              </p>
              {c.envNames.length > 0 && (
                <details className="mt-1 text-xs">
                  <summary className="cursor-pointer text-slate-500">{t("envNames")}</summary>
                  <p className="mt-1 break-all font-mono">{c.envNames.join(" ")}</p>
                </details>
              )}
            </li>
          ))}
        </ul>
        {detail.nodeName && (
          <p className="mt-2 text-xs text-slate-500">
            {t("node")}: {detail.nodeName}
          </p>
        )}
      </Section>
      <Section title={t("conditions")}>
        <ul className="space-y-1 text-xs">
          {detail.conditions.map((c) => (
            <li key={c.type}>
              <span className="font-mono">{c.type}</span>={c.status}
              {c.reason ? ` (${c.reason})` : ""} {c.lastTransitionTime ?? ""}
            </li>
          ))}
        </ul>
      </Section>
      <Section title={t("annotations")}>
        <KeyValues values={detail.annotations} />
      </Section>
    </>
  );
}

function EventsSection({ cluster, pod }: { cluster: string; pod: PodSummary }) {
  const t = useTranslations("monitor.detail");
  const [events, setEvents] = useState<EventDto[] | null>(null);
  useEffect(() => {
    const source = new EventSource(`${podPath(pod)}/events?${new URLSearchParams({ cluster })}`);
    source.addEventListener("events", (event) =>
      setEvents((JSON.parse((event as MessageEvent<string>).data) as { events: EventDto[] }).events),
    );
    return () => source.close();
  }, [cluster, pod.namespace, pod.name]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <Section title={t("events")}>
      {events === null ? null : events.length === 0 ? (
        <p className="text-slate-500">{t("noEvents")}</p>
      ) : (
        <ul className="space-y-1 text-xs" data-testid="pod-events">
          {events.map((e) => (
            <li key={e.uid} className={e.type === "Warning" ? "text-amber-700 dark:text-amber-400" : ""}>
              <span className="font-semibold">{e.reason}</span> {e.message} {e.count > 1 ? `×${e.count}` : ""}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function LogsSection({
  cluster,
  pod,
  containers,
}: {
  cluster: string;
  pod: PodSummary;
  containers: Array<{ name: string; hasPrevious: boolean }>;
}) {
  const t = useTranslations("monitor.detail");
  return (
    <Section title={t("logs")}>
      <LogViewer cluster={cluster} podPath={podPath(pod)} containers={containers} />
    </Section>
  );
}

function DeleteSection({ cluster, pod }: { cluster: string; pod: PodSummary }) {
  const t = useTranslations("monitor.detail");
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const remove = async () => {
    setConfirming(false);
    const response = await fetch(`${podPath(pod)}?${new URLSearchParams({ cluster })}`, { method: "DELETE" });
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    setMessage(response.ok ? t("deleted") : (body.error ?? response.statusText));
  };
  return (
    <section className="border-t border-slate-200 pt-4 dark:border-slate-800">
      {confirming ? (
        <div role="alertdialog" aria-label={t("delete")} className="space-y-2">
          <p>{t("deleteConfirm", { name: pod.name })}</p>
          <div className="flex gap-2">
            <Button onClick={remove} variant="danger">
              {t("deleteConfirmButton")}
            </Button>
            <Button onClick={() => setConfirming(false)} variant="compact">
              {t("cancel")}
            </Button>
          </div>
        </div>
      ) : (
        <Button onClick={() => setConfirming(true)} variant="dangerCompact">
          {t("delete")}
        </Button>
      )}
      {message && (
        <p className="mt-2 text-sm" role="status">
          {message}
        </p>
      )}
    </section>
  );
}
