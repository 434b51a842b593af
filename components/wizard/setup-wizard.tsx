"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { saveDraftAction } from "@/app/(dashboard)/setup/actions";
import type { ConnectionDto } from "@/lib/connections/dto";
import type { PriceBook, Site } from "@/lib/cost/prices";
import { monitorHref } from "@/lib/monitor/url-state";
import { WIZARD_STEPS } from "@/lib/wizard/draft-schema";
import type { ProfileDto } from "@/lib/wizard/profiles.server";
import type { SavedSecretFlags, SettingsDraft } from "@/lib/wizard/secrets";
import { ClusterStep } from "./steps/cluster-step";
import { GitlabStep } from "./steps/gitlab-step";
import { CreateRunnerPanel, type GitlabConnectionOption } from "@/components/gitlab/create-runner-panel";
import { ImageCacheStep } from "./steps/image-cache-step";
import { JobPodsStep } from "./steps/job-pods-step";
import { RegistryStep } from "./steps/registry-step";
import { ReviewStep } from "./steps/review-step";
import { StorageStep } from "./steps/storage-step";
import { ErrorAlert } from "@/components/ui/error-alert";

export interface WizardMeta {
  name: string;
  connectionId: string | null;
}

interface Props {
  profile?: ProfileDto;
  connections: ConnectionDto[];
  /** GitLab connections the runner can be created in (the GitLab step's "create in GitLab"). */
  gitlabConnections?: GitlabConnectionOption[];
  priceBooks: Record<Site, PriceBook>;
}

/**
 * The setup wizard: one form per step, each validated with its part of runnerSettingsSchema.
 * Moving forward saves the draft (secrets encrypted server-side), so a wizard can be resumed
 * from /setup/<id> at the furthest step it reached; every step up to that one stays open.
 */
export function SetupWizard({ profile, connections, gitlabConnections = [], priceBooks }: Props) {
  const t = useTranslations("setup");
  const [profileId, setProfileId] = useState(profile?.id);
  const [meta, setMeta] = useState<WizardMeta>({
    name: profile?.name ?? "",
    connectionId: profile?.connectionId ?? connections.find((c) => c.isDefault)?.id ?? connections[0]?.id ?? null,
  });
  const [draft, setDraft] = useState<SettingsDraft>(profile?.settings ?? {});
  const [savedSecrets, setSavedSecrets] = useState<SavedSecretFlags>(
    profile?.savedSecrets ?? { runnerToken: false, registryPassword: false, ossAccessKeySecret: false },
  );
  const [step, setStep] = useState(Math.min(profile?.step ?? 0, WIZARD_STEPS.length - 1));
  // The furthest step saved so far: editing an earlier one of a finished profile keeps the later ones open.
  const [reached, setReached] = useState(step);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  // Remounts the GitLab step after a runner was created in GitLab, so it shows the stored token and URL.
  const [gitlabStepKey, setGitlabStepKey] = useState(0);

  async function advance(patch: SettingsDraft, nextMeta: WizardMeta = meta) {
    const next = { ...draft, ...patch };
    const nextStep = Math.min(step + 1, WIZARD_STEPS.length - 1);
    const furthest = Math.max(reached, nextStep);
    setDraft(next);
    setMeta(nextMeta);
    setSaving(true);
    setSaveError(undefined);
    const result = await saveDraftAction({
      id: profileId,
      name: nextMeta.name,
      connectionId: nextMeta.connectionId,
      step: furthest,
      settings: next,
    });
    setSaving(false);
    if (!result.ok) {
      setSaveError(result.error);
      return;
    }
    setSavedSecrets(result.profile.savedSecrets);
    if (!profileId) {
      setProfileId(result.profile.id);
      // Resumable from its own address without remounting the wizard.
      window.history.replaceState(null, "", `/setup/${result.profile.id}`);
    }
    setReached(furthest);
    setStep(nextStep);
  }

  function back(patch: SettingsDraft = {}) {
    setDraft({ ...draft, ...patch });
    setStep(Math.max(step - 1, 0));
  }

  const common = { draft, saving, onBack: back };
  const cluster = connections.find((c) => c.id === meta.connectionId);
  return (
    <div className="grid gap-6 lg:grid-cols-[12rem_1fr]">
      <nav aria-label={t("nav.steps")}>
        <ol className="space-y-1 text-sm">
          {WIZARD_STEPS.map((name, index) => (
            <li key={name}>
              <button
                type="button"
                disabled={index > reached || saving}
                onClick={() => setStep(index)}
                aria-current={index === step ? "step" : undefined}
                className={`w-full rounded-md px-3 py-2 text-left ${index === step ? "bg-orange-100 font-semibold text-orange-900 dark:bg-orange-950 dark:text-orange-200" : "text-slate-600 hover:bg-slate-100 disabled:opacity-50 dark:text-slate-400 dark:hover:bg-slate-800"}`}
              >
                {index + 1}. {t(`steps.${name}`)}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <section aria-labelledby="wizard-step-title" className="min-w-0">
        <h2 id="wizard-step-title" className="mb-4 text-lg font-semibold">
          {t("nav.stepOf", { current: step + 1, total: WIZARD_STEPS.length })}: {t(`steps.${WIZARD_STEPS[step]}`)}
        </h2>
        {saveError && <ErrorAlert className="mb-4">{saveError}</ErrorAlert>}
        {step === 0 && (
          <ClusterStep {...common} meta={meta} connections={connections} onNext={(patch, m) => advance(patch, m)} />
        )}
        {step === 1 && (
          <GitlabStep
            key={gitlabStepKey}
            {...common}
            tokenSaved={savedSecrets.runnerToken}
            onNext={advance}
            createRunner={
              profileId && gitlabConnections.length > 0 ? (
                <CreateRunnerPanel
                  profileId={profileId}
                  connections={gitlabConnections}
                  defaultDescription={draft.gitlab?.runnerName ?? meta.name}
                  onCreated={({ gitlabUrl }) => {
                    setDraft({ ...draft, gitlab: { ...draft.gitlab, url: `${gitlabUrl}/`, runnerToken: undefined } });
                    setSavedSecrets({ ...savedSecrets, runnerToken: true });
                    setGitlabStepKey((key) => key + 1);
                  }}
                />
              ) : null
            }
          />
        )}
        {step === 2 && <JobPodsStep {...common} priceBooks={priceBooks} onNext={advance} />}
        {step === 3 && <StorageStep {...common} cacheSecretSaved={savedSecrets.ossAccessKeySecret} onNext={advance} />}
        {step === 4 && <RegistryStep {...common} passwordSaved={savedSecrets.registryPassword} onNext={advance} />}
        {step === 5 && <ImageCacheStep {...common} onNext={advance} />}
        {step === 6 && profileId && (
          <ReviewStep
            profileId={profileId}
            instanceName={draft.cluster?.instanceName ?? "gitlab-runner"}
            monitorHref={
              cluster
                ? monitorHref({
                    cluster: cluster.name,
                    namespace: draft.cluster?.namespace,
                    runner: draft.gitlab?.runnerName,
                  })
                : null
            }
            onBack={() => back()}
          />
        )}
      </section>
    </div>
  );
}
