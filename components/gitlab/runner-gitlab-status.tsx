"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState, useTransition } from "react";
import {
  deleteGitlabRunnerAction,
  gitlabRunnerStatusAction,
  rotateGitlabRunnerTokenAction,
  type RunnerActionResult,
} from "@/app/(dashboard)/setup/gitlab-actions";
import { Button } from "@/components/ui/button";
import { cardClass } from "@/components/ui/card";
import type { RunnerStatusDto } from "@/lib/gitlab/runners.server";
import { GitlabProblemAlert } from "./gitlab-problem";

/**
 * The profile's runner as GitLab sees it (online, last contact, version, paused), with token rotation
 * (the new token is stored; apply again to write it into the Secret) and deletion in GitLab.
 */
export function RunnerGitlabStatus({ profileId }: { profileId: string }) {
  const t = useTranslations("gitlab.runner.status");
  const [status, setStatus] = useState<RunnerActionResult<RunnerStatusDto> | null | undefined>(undefined);
  const [message, setMessage] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [pending, startTransition] = useTransition();
  const refresh = () => startTransition(async () => setStatus(await gitlabRunnerStatusAction(profileId)));
  useEffect(refresh, [profileId]);

  // null: no runner in GitLab (or just deleted, when the message says so).
  if (status === undefined || (status === null && !message)) return null;
  const value = status?.ok ? status.value : null;
  return (
    <section className={cardClass("mt-6 space-y-2 text-sm")} data-testid="runner-gitlab-status">
      <h2 className="font-semibold">{t("title")}</h2>
      {status && !status.ok && status.problem && <GitlabProblemAlert problem={status.problem} />}
      {value && (
        <p data-online={value.online ?? undefined}>
          #{value.runnerId} {value.description ? `· ${value.description} ` : ""}·{" "}
          {value.paused ? t("paused") : value.online ? t("online") : t("offline")} ·{" "}
          {value.contactedAt ? t("lastContact", { time: new Date(value.contactedAt).toLocaleString() }) : t("never")}
          {value.version ? ` · ${t("version", { version: value.version })}` : ""}
        </p>
      )}
      {message && <p role="status">{message}</p>}
      {value && (
        <div className="flex flex-wrap gap-2">
          <Button
            variant="compact"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const result = await rotateGitlabRunnerTokenAction(profileId);
                setMessage(
                  result.ok
                    ? t(
                        result.value.reapplied
                          ? result.value.applyOk
                            ? "rotatedApplied"
                            : "rotatedApplyFailed"
                          : "rotated",
                      )
                    : (result.problem?.code ?? result.error ?? null),
                );
              })
            }
          >
            {t("rotate")}
          </Button>
          {confirmDelete ? (
            <Button
              variant="dangerCompact"
              disabled={pending}
              onClick={() =>
                startTransition(async () => {
                  const result = await deleteGitlabRunnerAction(profileId);
                  setMessage(result.ok ? t("deleted") : (result.problem?.code ?? result.error ?? null));
                  setConfirmDelete(false);
                  if (result.ok) setStatus(null);
                })
              }
            >
              {t("confirmDelete")}
            </Button>
          ) : (
            <Button variant="compact" onClick={() => setConfirmDelete(true)}>
              {t("delete")}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}
