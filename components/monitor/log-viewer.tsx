"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { searchLog } from "@/lib/monitor/log-search";
import { Button, buttonClass } from "@/components/ui/button";

/**
 * A container's log with the viewer's tools: container, follow, previous instance, last lines,
 * timestamps, last minutes, search, wrap, download. `podPath` is the pod's monitor API path
 * (`/api/monitor/pods/<namespace>/<name>`): job pods and runner pods alike.
 */
export function LogViewer({
  cluster,
  podPath,
  containers,
}: {
  cluster: string;
  podPath: string;
  containers: Array<{ name: string; hasPrevious: boolean }>;
}) {
  const t = useTranslations("monitor.detail");
  const [container, setContainer] = useState(
    (containers.find((c) => c.name === "build") ?? containers[0])?.name ?? "build",
  );
  const [follow, setFollow] = useState(false);
  const [previous, setPrevious] = useState(false);
  const [tailLines, setTailLines] = useState(500);
  const [timestamps, setTimestamps] = useState(false);
  const [sinceMinutes, setSinceMinutes] = useState("");
  const [wrap, setWrap] = useState(false);
  const [query, setQuery] = useState("");
  const [text, setText] = useState<string | null>(null);
  const [request, setRequest] = useState(0);

  const since = Number(sinceMinutes);
  const params = new URLSearchParams({
    cluster,
    container,
    tailLines: String(tailLines),
    ...(previous ? { previous: "true" } : {}),
    ...(timestamps ? { timestamps: "true" } : {}),
    ...(Number.isInteger(since) && since > 0 ? { sinceSeconds: String(since * 60) } : {}),
  });
  const found = text ? searchLog(text, query) : null;
  const url = `${podPath}/logs?${params}`;

  useEffect(() => {
    if (request === 0) return;
    const controller = new AbortController();
    (async () => {
      const response = await fetch(`${url}${follow ? "&follow=true" : ""}`, { signal: controller.signal });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        setText(body.error ?? response.statusText);
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        // Keep the view bounded while following a chatty job.
        setText((old) => ((old ?? "") + value).slice(-500_000));
      }
    })().catch(() => {});
    return () => controller.abort();
  }, [request]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-3 text-xs">
        <label className="flex items-center gap-1">
          {t("container")}
          <select
            value={container}
            onChange={(e) => setContainer(e.target.value)}
            className="rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
          >
            {containers.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> {t("follow")}
        </label>
        <label className="flex items-center gap-1">
          <input
            type="checkbox"
            checked={previous}
            disabled={!containers.find((c) => c.name === container)?.hasPrevious}
            onChange={(e) => setPrevious(e.target.checked)}
          />{" "}
          {t("previous")}
        </label>
        <label className="flex items-center gap-1">
          {t("tailLines")}
          <input
            type="number"
            min={1}
            max={100000}
            value={tailLines}
            onChange={(e) => setTailLines(Math.max(1, Number(e.target.value) || 1))}
            className="w-20 rounded border border-slate-300 bg-transparent px-1 dark:border-slate-700"
          />
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} />{" "}
          {t("timestamps")}
        </label>
        <label className="flex items-center gap-1">
          {t("sinceMinutes")}
          <input
            type="number"
            min={1}
            max={43200}
            value={sinceMinutes}
            placeholder={t("sinceAll")}
            onChange={(e) => setSinceMinutes(e.target.value)}
            className="w-20 rounded border border-slate-300 bg-transparent px-1 dark:border-slate-700"
          />
        </label>
        <Button
          onClick={() => {
            setText("");
            setRequest((n) => n + 1);
          }}
          variant="primary"
        >
          {t("loadLogs")}
        </Button>
        <a href={`${url}&download=true`} download className={buttonClass("compact")}>
          {t("download")}
        </a>
      </div>
      {text !== null && (
        <>
          <div className="mb-2 flex flex-wrap items-center gap-3 text-xs">
            <input
              type="search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder={t("searchLog")}
              aria-label={t("searchLog")}
              className="w-48 rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
            />
            {query.trim() && <span role="status">{t("matchingLines", { count: found?.count ?? 0 })}</span>}
            <label className="flex items-center gap-1">
              <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> {t("wrapLines")}
            </label>
          </div>
          <pre
            className={`max-h-80 overflow-auto rounded-lg bg-slate-950 p-3 font-mono text-xs text-slate-100 ${wrap ? "whitespace-pre-wrap break-all" : ""}`}
            data-testid="pod-logs"
          >
            {text ? (query.trim() ? found?.lines.join("\n") : text) : t("noLogs")}
          </pre>
        </>
      )}
    </div>
  );
}
