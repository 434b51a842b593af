"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteGitlabConnectionAction, testStoredGitlabConnectionAction } from "@/app/(dashboard)/gitlab/actions";
import type { GitlabConnectionDto, GitlabTestReport } from "@/lib/gitlab/dto";
import type { GitlabProblem } from "@/lib/gitlab/problems";
import { GitlabProblemAlert } from "./gitlab-problem";
import { GitlabTestReportView } from "./gitlab-test-report";
import { Button } from "@/components/ui/button";
import { cardClass } from "@/components/ui/card";

export function GitlabConnectionList({ connections }: { connections: GitlabConnectionDto[] }) {
  return (
    <ul className="space-y-4">
      {connections.map((connection) => (
        <GitlabConnectionCard key={connection.id} connection={connection} />
      ))}
    </ul>
  );
}

function GitlabConnectionCard({ connection }: { connection: GitlabConnectionDto }) {
  const t = useTranslations("gitlab.list");
  const router = useRouter();
  const [report, setReport] = useState<GitlabTestReport | null>(null);
  const [problem, setProblem] = useState<GitlabProblem | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();

  const test = () =>
    startTransition(async () => {
      const result = await testStoredGitlabConnectionAction(connection.id);
      setReport(result.ok ? result.value : null);
      setProblem(result.ok ? null : (result.problem ?? null));
      router.refresh();
    });
  const remove = () =>
    startTransition(async () => {
      const result = await deleteGitlabConnectionAction(connection.id);
      if (!result.ok) setProblem(result.problem ?? null);
      setConfirming(false);
      router.refresh();
    });

  return (
    <li className={cardClass("space-y-3")} data-testid="gitlab-connection" data-name={connection.name}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h2 className="text-lg font-semibold">{connection.name}</h2>
          <p className="font-mono text-xs text-slate-500">{connection.url}</p>
        </div>
        <span
          className={`rounded-full px-2 py-0.5 text-xs ${connection.lastHealthy === false ? "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200" : "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200"}`}
        >
          {connection.lastHealthy === false ? t("unhealthy", { error: connection.lastError ?? "" }) : t("healthy")}
        </span>
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">{t("version")}</dt>
        <dd>{connection.serverVersion ?? "—"}</dd>
        <dt className="text-slate-500">{t("user")}</dt>
        <dd>{connection.tokenUser ?? "—"}</dd>
        <dt className="text-slate-500">{t("scopes")}</dt>
        <dd>{connection.tokenScopes.join(", ") || "—"}</dd>
        <dt className="text-slate-500">{t("expires")}</dt>
        <dd>{connection.tokenExpiresAt ?? t("never")}</dd>
        <dt className="text-slate-500">{t("ca")}</dt>
        <dd className="break-all font-mono text-xs">{connection.caFingerprint ?? t("systemTrust")}</dd>
        <dt className="text-slate-500">{t("lastSync")}</dt>
        <dd>{connection.lastSyncAt ? new Date(connection.lastSyncAt).toLocaleString() : "—"}</dd>
      </dl>
      {problem && <GitlabProblemAlert problem={problem} />}
      {report && <GitlabTestReportView report={report} />}
      <div className="flex flex-wrap gap-3">
        <Button onClick={test} disabled={pending}>
          {t("test")}
        </Button>
        {confirming ? (
          <>
            <span className="self-center text-sm">{t("confirmDelete", { name: connection.name })}</span>
            <Button variant="danger" onClick={remove} disabled={pending}>
              {t("delete")}
            </Button>
            <Button onClick={() => setConfirming(false)} disabled={pending}>
              {t("cancel")}
            </Button>
          </>
        ) : (
          <Button variant="dangerLink" className="text-sm" onClick={() => setConfirming(true)}>
            {t("delete")}
          </Button>
        )}
      </div>
    </li>
  );
}
