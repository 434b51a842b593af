"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { deleteGitlabRunnerAction, gitlabRunnerStatusAction } from "@/app/(dashboard)/setup/gitlab-actions";
import type { RunState } from "@/components/wizard/use-setup-run";
import type { GitlabProblem } from "@/lib/gitlab/problems";
import { useGitlabProblemText } from "./gitlab-problem";

type Outcome =
  | { kind: "deleted"; runnerId: number }
  | { kind: "failed"; problem?: GitlabProblem; error?: string }
  | { kind: "kept" };

/**
 * Uninstall's offer to delete the profile's runner in GitLab too (when the profile is linked to one).
 * The deletion runs only after the uninstall finished without errors: a runner still installed would
 * otherwise keep asking GitLab for jobs with a token GitLab no longer knows.
 */
export function useGitlabRunnerOnUninstall(profileId: string, run: RunState) {
  // undefined: still asking; null: the profile has no runner in GitLab.
  const [linked, setLinked] = useState<{ runnerId: number | null } | null | undefined>(undefined);
  const [chosen, setChosen] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const handled = useRef<RunState["done"]>(undefined);

  useEffect(() => {
    let current = true;
    void gitlabRunnerStatusAction(profileId)
      .then((status) => {
        if (current) setLinked(status === null ? null : { runnerId: status.ok ? status.value.runnerId : null });
      })
      .catch(() => current && setLinked(null));
    return () => {
      current = false;
    };
  }, [profileId]);

  const uninstalled = run.mode === "uninstall" ? run.done : undefined;
  useEffect(() => {
    if (!chosen || !linked || !uninstalled?.ok || handled.current === uninstalled) return;
    handled.current = uninstalled;
    void deleteGitlabRunnerAction(profileId).then((result) => {
      if (result.ok) {
        setOutcome({ kind: "deleted", runnerId: result.value.runnerId });
        setLinked(null);
      } else setOutcome({ kind: "failed", problem: result.problem, error: result.error });
    });
  }, [chosen, linked, uninstalled, profileId]);

  // An uninstall that failed leaves the runner where it is, in the cluster and in GitLab.
  const kept: Outcome | null = chosen && linked && uninstalled && !uninstalled.ok ? { kind: "kept" } : null;
  return { linked, chosen, setChosen, outcome: outcome ?? kept };
}

export function UninstallGitlabRunnerChoice({
  linked,
  chosen,
  onChange,
}: {
  linked: { runnerId: number | null } | null | undefined;
  chosen: boolean;
  onChange: (chosen: boolean) => void;
}) {
  const t = useTranslations("gitlab.runner.uninstall");
  if (!linked) return null;
  return (
    <label className="mt-3 flex items-start gap-2 text-sm">
      <input type="checkbox" className="mt-1" checked={chosen} onChange={(e) => onChange(e.target.checked)} />
      <span>
        {linked.runnerId === null ? t("choiceUnknown") : t("choice", { id: linked.runnerId })}
        <span className="block text-xs text-slate-500">{t("choiceHint")}</span>
      </span>
    </label>
  );
}

export function UninstallGitlabRunnerOutcome({ outcome }: { outcome: Outcome | null }) {
  const t = useTranslations("gitlab.runner.uninstall");
  const problemText = useGitlabProblemText();
  if (!outcome) return null;
  return (
    <p role="status" className="text-sm" data-testid="uninstall-gitlab-outcome" data-outcome={outcome.kind}>
      {outcome.kind === "deleted"
        ? t("deleted", { id: outcome.runnerId })
        : outcome.kind === "failed"
          ? t("failed", { error: outcome.problem ? problemText(outcome.problem) : (outcome.error ?? "") })
          : t("kept")}
    </p>
  );
}
