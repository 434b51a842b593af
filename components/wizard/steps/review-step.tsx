"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { reviewAction, type ReviewResult } from "@/app/(dashboard)/setup/actions";
import { describeRef } from "@/lib/apply/types";
import type { Site } from "@/lib/cost/prices";
import { ApplyProgress } from "../apply-progress";
import { RunnerStatusPanel } from "../runner-status";
import { useSetupRun } from "../use-setup-run";
import {
  UninstallGitlabRunnerChoice,
  UninstallGitlabRunnerOutcome,
  useGitlabRunnerOnUninstall,
} from "@/components/gitlab/uninstall-gitlab-runner";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, cardClass } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";

export function ReviewStep({
  profileId,
  instanceName,
  monitorHref,
  onBack,
}: {
  profileId: string;
  instanceName: string;
  /** The runner's live view: its cluster and namespace, its jobs. */
  monitorHref: string | null;
  onBack: () => void;
}) {
  const t = useTranslations("setup.review");
  const [site, setSite] = useState<Site>("cn");
  const [result, setResult] = useState<ReviewResult>();
  const [confirming, setConfirming] = useState(false);
  const [confirmText, setConfirmText] = useState("");
  const { state, start } = useSetupRun(profileId);
  const gitlabRunner = useGitlabRunnerOnUninstall(profileId, state);

  useEffect(() => {
    let current = true;
    void reviewAction(profileId, site).then((r) => current && setResult(r));
    return () => {
      current = false;
    };
  }, [profileId, site]);

  if (!result) return <p className="text-sm text-slate-500">{t("loading")}</p>;
  if (!result.ok) {
    return (
      <div className="space-y-4">
        <div
          role="alert"
          className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-700 dark:bg-red-950 dark:text-red-300"
        >
          <p className="font-medium">{result.error}</p>
          <ul className="mt-2 list-disc pl-5">
            {result.issues?.map((issue) => (
              <li key={`${issue.path}:${issue.message}`}>
                <span className="font-mono text-xs">{issue.path}</span>: {issue.message}
              </li>
            ))}
          </ul>
        </div>
        <Button onClick={onBack}>{t("back")}</Button>
      </div>
    );
  }
  const { review } = result;
  const busy = state.running;
  const download = (query: string) => `/api/setup/profiles/${profileId}/download?${query}`;
  return (
    <div className="space-y-6">
      <div className="grid gap-4 lg:grid-cols-3">
        <Card as="section">
          <h3 className="mb-2 font-semibold">{t("objectsTitle", { count: review.objects.length })}</h3>
          <ul className="space-y-1 font-mono text-xs" data-testid="review-objects">
            {review.objects.map((ref) => (
              <li key={describeRef(ref)}>{describeRef(ref)}</li>
            ))}
          </ul>
        </Card>
        <Card as="section" className="space-y-2 text-sm">
          <div className="flex items-center justify-between gap-2">
            <h3 className="font-semibold">{t("monthlyTitle")}</h3>
            <select
              aria-label={t("site")}
              value={site}
              onChange={(e) => setSite(e.target.value as Site)}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs dark:border-slate-700 dark:bg-slate-950"
            >
              <option value="cn">CNY</option>
              <option value="intl">USD</option>
            </select>
          </div>
          <p data-testid="monthly-cost">
            {review.monthly.runnerPerMonth === null
              ? t("runnerPodUnpriced", { spec: review.monthly.runnerSpec, notice: review.monthly.notice ?? "" })
              : t("runnerPod", { spec: review.monthly.runnerSpec, price: review.monthly.runnerPerMonth })}
          </p>
          <p className="text-slate-500 dark:text-slate-400">
            {t("storageNotPriced", { storage: review.monthly.storageGiB, cache: review.monthly.imageCacheGiB })}
          </p>
          {review.jobPod && <p>{t("jobPod", { spec: review.jobPod.billed, price: review.jobPod.perMinute })}</p>}
        </Card>
        <Card as="section" className="text-sm">
          <h3 className="mb-2 font-semibold">{t("warningsTitle")}</h3>
          {review.warnings.length === 0 ? (
            <p className="text-slate-500">{t("noWarnings")}</p>
          ) : (
            <ul className="list-disc space-y-1 pl-5 text-amber-800 dark:text-amber-300" data-testid="review-warnings">
              {review.warnings.map((w) => (
                <li key={`${w.path}:${w.message}`}>{w.message}</li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      {review.invalid.length > 0 && (
        <div
          role="alert"
          className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-700 dark:bg-red-950 dark:text-red-300"
        >
          <p className="font-medium">{t("invalid")}</p>
          <ul className="list-disc pl-5">
            {review.invalid.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      <RunnerStatusPanel profileId={profileId} refreshKey={state.done} monitorHref={monitorHref} />
      <details className={cardClass()}>
        <summary className="cursor-pointer font-semibold">{t("yamlTitle")}</summary>
        <pre
          className="mt-3 max-h-[32rem] overflow-auto rounded bg-slate-50 p-3 text-xs dark:bg-slate-900"
          data-testid="review-yaml"
        >
          {review.yaml}
        </pre>
      </details>
      <div className="flex flex-wrap gap-3">
        <Button onClick={onBack} disabled={busy}>
          {t("back")}
        </Button>
        <Button onClick={() => start("dry-run")} disabled={busy || review.invalid.length > 0}>
          {t("dryRun")}
        </Button>
        <Button variant="primary" onClick={() => start("apply")} disabled={busy || review.invalid.length > 0}>
          {busy && state.mode === "apply" ? t("applying") : t("apply")}
        </Button>
        <a className={buttonClass("secondary")} href={download("format=yaml")} download>
          {t("downloadYaml")}
        </a>
        <a className={buttonClass("secondary")} href={download("format=helm")} download>
          {t("downloadHelm")}
        </a>
        <a
          className={buttonClass("secondary")}
          href={download("format=yaml&secrets=include")}
          download
          onClick={(e) => {
            if (!window.confirm(t("downloadWithSecretsConfirm"))) e.preventDefault();
          }}
        >
          {t("downloadWithSecrets")}
        </a>
        <Button variant="danger" onClick={() => setConfirming(true)} disabled={busy}>
          {t("uninstall")}
        </Button>
      </div>
      {confirming && (
        <div
          role="dialog"
          aria-labelledby="uninstall-title"
          className="rounded-md border border-red-300 p-4 dark:border-red-800"
        >
          <h3 id="uninstall-title" className="font-semibold text-red-700 dark:text-red-400">
            {t("uninstallTitle")}
          </h3>
          <p className="mt-1 text-sm">{t("uninstallBody", { name: instanceName })}</p>
          <input
            aria-label={t("uninstallConfirmLabel")}
            value={confirmText}
            onChange={(e) => setConfirmText(e.target.value)}
            className={`${inputClass} max-w-xs`}
          />
          <UninstallGitlabRunnerChoice
            linked={gitlabRunner.linked}
            chosen={gitlabRunner.chosen}
            onChange={gitlabRunner.setChosen}
          />
          <div className="mt-3 flex gap-3">
            <Button onClick={() => setConfirming(false)}>{t("cancel")}</Button>
            <Button
              variant="danger"
              disabled={confirmText !== instanceName || busy}
              onClick={() => {
                setConfirming(false);
                void start("uninstall", confirmText);
                setConfirmText("");
              }}
            >
              {t("uninstallConfirm")}
            </Button>
          </div>
        </div>
      )}
      <ApplyProgress state={state} monitorHref={monitorHref} />
      <UninstallGitlabRunnerOutcome outcome={gitlabRunner.outcome} />
    </div>
  );
}
