"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { PodSummary } from "@/lib/monitor/pod-summary";
import type { RunnerInfo } from "@/lib/monitor/runner-info";
import type { MonitorGitlabRunner } from "@/lib/gitlab/monitor-orphans";
import Link from "next/link";
import { ALL_NAMESPACES } from "@/lib/monitor/validation";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Chip } from "@/components/ui/chip";

/** Newest job pod creation per runner name (config.toml `name`), from the live rows. */
function lastActivity(runner: RunnerInfo, pods: readonly PodSummary[]): number | null {
  const names = new Set(runner.config?.runners.map((r) => r.name) ?? []);
  let latest: number | null = null;
  for (const pod of pods) {
    if (names.size > 0 && (!pod.runner || !names.has(pod.runner))) continue;
    const at = pod.finishedAt ?? pod.startedAt ?? pod.createdAt;
    if (at !== null && (latest === null || at > latest)) latest = at;
  }
  return latest;
}

export function RunnerCards({
  runners,
  error,
  namespace,
  pods,
  gitlab = [],
  profileLinks = {},
  onShowJobs,
  onOpenRunner,
}: {
  runners: RunnerInfo[];
  error: string | null;
  namespace: string;
  pods: readonly PodSummary[];
  /** Our runner profiles linked to a runner in GitLab, with GitLab's status (one per Deployment name). */
  gitlab?: readonly MonitorGitlabRunner[];
  /** The profile that installed a runner, by "<namespace>/<deployment>". */
  profileLinks?: Record<string, { id: string; name: string }>;
  /** Narrows the pod table to one runner's jobs (config.toml `name`). */
  onShowJobs?: (runnerName: string) => void;
  /** Opens the runner's own logs and its Deployment's events. */
  onOpenRunner?: (runner: { namespace: string; name: string }) => void;
}) {
  const t = useTranslations("monitor.runners");
  const format = useFormatter();
  if (error)
    return (
      <p className="mb-4 rounded-lg border border-red-300 p-3 text-sm text-red-700 dark:border-red-800 dark:text-red-400">
        {t("error", { error })}
      </p>
    );
  if (runners.length === 0)
    return (
      <p className="mb-4 text-sm text-slate-500">
        {namespace === ALL_NAMESPACES ? t("noneAnywhere") : t("none", { namespace })}{" "}
        <Link href="/setup/new" className="text-orange-700 hover:underline dark:text-orange-400">
          {t("create")}
        </Link>
      </p>
    );
  return (
    <section aria-label={t("heading")} className="mb-5 grid gap-4 md:grid-cols-2 xl:grid-cols-3">
      {runners.map((runner) => {
        const restarts = runner.pods.reduce((sum, p) => sum + p.restarts, 0);
        const last = lastActivity(runner, pods);
        const healthy = runner.ready >= runner.desired && runner.desired > 0;
        const profile = profileLinks[`${runner.namespace}/${runner.name}`];
        const jobsOf = runner.config?.runners[0]?.name;
        return (
          <Card
            as="article"
            key={`${runner.namespace}/${runner.name}`}
            className="text-sm"
            data-testid="runner-card"
            data-runner={runner.name}
          >
            <header className="flex items-center justify-between gap-2">
              <h2 className="truncate font-semibold" title={`${runner.namespace}/${runner.name}`}>
                {namespace === ALL_NAMESPACES && (
                  <span className="font-normal text-slate-500">{runner.namespace}/</span>
                )}
                {runner.name}
              </h2>
              <Chip tone={healthy ? "ok" : "warn"}>{t("ready", { ready: runner.ready, desired: runner.desired })}</Chip>
            </header>
            <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-slate-600 dark:text-slate-400">
              <dt>{t("pods")}</dt>
              <dd className="truncate font-mono text-xs">
                {runner.pods.map((p) => `${p.name} (${p.phase})`).join(", ") || "—"}
              </dd>
              <dt>{t("restarts")}</dt>
              <dd className={restarts > 0 ? "font-semibold text-amber-700 dark:text-amber-400" : ""}>{restarts}</dd>
              {runner.config ? (
                <>
                  <dt>{t("concurrent")}</dt>
                  <dd>{runner.config.concurrent ?? "—"}</dd>
                  <dt>{t("runnerNames")}</dt>
                  <dd className="truncate">{runner.config.runners.map((r) => r.name).join(", ") || "—"}</dd>
                  <dt>{t("resources")}</dt>
                  <dd className="font-mono text-xs">
                    {runner.config.runners
                      .map(
                        (r) =>
                          `cpu ${r.cpuRequest ?? "?"}/${r.cpuLimit ?? "?"}, mem ${r.memoryRequest ?? "?"}/${r.memoryLimit ?? "?"}`,
                      )
                      .join("; ") || "—"}
                  </dd>
                </>
              ) : (
                <>
                  <dt>config.toml</dt>
                  <dd>{t("configUnknown")}</dd>
                </>
              )}
              <dt>{t("lastActivity")}</dt>
              <dd>{last === null ? t("never") : format.relativeTime(new Date(last), new Date())}</dd>
              <GitlabStatusRow
                runner={gitlab.find((g) => g.instanceName === runner.name && g.namespace === runner.namespace)}
              />
            </dl>
            <footer className="mt-3 flex flex-wrap gap-3">
              {onOpenRunner && (
                <Button
                  variant="link"
                  className="text-sm"
                  onClick={() => onOpenRunner({ namespace: runner.namespace, name: runner.name })}
                >
                  {t("logsAndEvents")}
                </Button>
              )}
              {jobsOf && onShowJobs && (
                <Button variant="link" className="text-sm" onClick={() => onShowJobs(jobsOf)}>
                  {t("showJobs")}
                </Button>
              )}
              {profile && (
                <Link
                  href={`/setup/${profile.id}`}
                  className="text-sm text-orange-700 hover:underline dark:text-orange-400"
                >
                  {t("openProfile", { name: profile.name })}
                </Link>
              )}
            </footer>
          </Card>
        );
      })}
    </section>
  );
}

/** The runner as GitLab sees it: online or not, paused, last contact, version (a profile linked to GitLab only). */
function GitlabStatusRow({ runner }: { runner: MonitorGitlabRunner | undefined }) {
  const t = useTranslations("monitor.runners");
  const format = useFormatter();
  if (!runner) return null;
  const { status, problem, runnerId: id } = runner;
  const state = status?.paused ? "paused" : status?.online ? "online" : "offline";
  return (
    <>
      <dt>{t("gitlab")}</dt>
      <dd data-testid="runner-gitlab" data-state={status ? state : "unknown"}>
        {status ? (
          <>
            <Chip tone={state === "online" ? "ok" : "warn"}>{t(state, { id })}</Chip>{" "}
            <span className="text-xs">
              {status.contactedAt
                ? t("lastContact", { time: format.relativeTime(new Date(status.contactedAt), new Date()) })
                : t("neverContacted")}
              {status.version ? ` · ${t("version", { version: status.version })}` : ""}
            </span>
          </>
        ) : (
          <span className="text-xs">{t("problem", { id, code: problem?.code ?? "unknown" })}</span>
        )}
      </dd>
    </>
  );
}
