"use client";

import { useTranslations } from "next-intl";
import { describeRef, type Outcome } from "@/lib/apply/types";
import type { RunState } from "./use-setup-run";
import { useEffect, useRef } from "react";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorAlert } from "@/components/ui/error-alert";

const OUTCOME_CLASS: Record<Outcome, string> = {
  created: "text-green-700 dark:text-green-400",
  configured: "text-blue-700 dark:text-blue-400",
  unchanged: "text-slate-500 dark:text-slate-400",
  failed: "text-red-700 dark:text-red-400",
  skipped: "text-amber-700 dark:text-amber-400",
  deleted: "text-green-700 dark:text-green-400",
  absent: "text-slate-500 dark:text-slate-400",
  kept: "text-amber-700 dark:text-amber-400",
};

/** Per-object progress of a dry run, apply or uninstall, then the runner's rollout. */
export function ApplyProgress({ state, monitorHref = null }: { state: RunState; monitorHref?: string | null }) {
  const t = useTranslations("setup.progress");
  const ref = useRef<HTMLElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  // The results appear below the buttons, often below the fold on a laptop: bring the progress into
  // view when a run starts, and its outcome (at the end of a list that can be taller than the
  // screen) when it ends.
  const started = state.mode !== null && state.running;
  useEffect(() => {
    if (started) ref.current?.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }, [state.mode, started]);
  useEffect(() => {
    if (state.done) outcomeRef.current?.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }, [state.done]);
  if (!state.mode) return null;
  return (
    <Card ref={ref} as="section" className="space-y-3" aria-live="polite" data-testid="apply-progress">
      <h3 className="font-semibold">{t(`title.${state.mode}`)}</h3>
      {state.error && (
        <ErrorAlert className="whitespace-pre-wrap">
          {state.error === "connectionLost" ? t("connectionLost") : state.error}
        </ErrorAlert>
      )}
      <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
        {state.objects.map((ref, i) => {
          const result = state.results[i];
          return (
            <li key={`${ref.kind}/${ref.namespace}/${ref.name}`} className="py-2" data-testid="apply-object">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-mono text-xs">{describeRef(ref)}</span>
                <span
                  className={`font-medium ${result ? OUTCOME_CLASS[result.outcome] : "text-slate-400"}`}
                  data-outcome={result?.outcome ?? "pending"}
                >
                  {result
                    ? `${t(`outcome.${result.outcome}`)}${state.mode === "dry-run" ? ` ${t("dryRunSuffix")}` : ""}`
                    : state.running
                      ? t("working")
                      : t("outcome.skipped")}
                </span>
              </div>
              {result?.message && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{result.message}</p>}
              {result?.diff && (
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-slate-500">{t("showDiff")}</summary>
                  <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-900">
                    {result.diff}
                  </pre>
                </details>
              )}
            </li>
          );
        })}
      </ul>
      {state.rollout && (
        <div className="rounded-md bg-slate-50 p-3 text-sm dark:bg-slate-900" data-testid="rollout">
          <p className="font-medium">{state.rollout.available ? t("runnerAvailable") : t("runnerWaiting")}</p>
          <p className="text-slate-600 dark:text-slate-400">{state.rollout.message}</p>
          <ul className="mt-1 text-xs">
            {state.rollout.pods.map((pod) => (
              <li key={pod.name} className="font-mono">
                {pod.name}: {pod.phase}
                {pod.reason ? ` (${pod.reason})` : ""} {pod.ready ? `· ${t("ready")}` : ""}
              </li>
            ))}
          </ul>
        </div>
      )}
      {state.done && (
        <div ref={outcomeRef} className="space-y-3">
          <p
            role="status"
            className={`text-sm font-medium ${state.done.ok ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400"}`}
            data-testid="run-result"
          >
            {state.done.ok
              ? t(
                  state.mode === "uninstall" && state.done.results.some((r) => r.outcome === "kept")
                    ? "done.uninstallKept"
                    : `done.${state.mode}`,
                )
              : t("failed", { message: state.done.message ?? "" })}
          </p>
          {state.done.ok && state.mode === "apply" && monitorHref && (
            <ButtonLink href={monitorHref} variant="primary" data-testid="watch-live">
              {t("watchLive")}
            </ButtonLink>
          )}
        </div>
      )}
    </Card>
  );
}
