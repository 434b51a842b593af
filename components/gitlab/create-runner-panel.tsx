"use client";

import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { createGitlabRunnerAction } from "@/app/(dashboard)/setup/gitlab-actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import type { GitlabProblem } from "@/lib/gitlab/problems";
import { GitlabProblemAlert } from "./gitlab-problem";

export interface GitlabConnectionOption {
  id: string;
  name: string;
  url: string;
}

/**
 * "Create the runner in GitLab" (POST /user/runners): its glrt- token goes straight into the profile's
 * encrypted secrets on the server; the browser only learns the runner's id.
 */
export function CreateRunnerPanel({
  profileId,
  connections,
  defaultDescription,
  onCreated,
}: {
  profileId: string;
  connections: GitlabConnectionOption[];
  defaultDescription: string;
  onCreated: (created: { runnerId: number; gitlabUrl: string }) => void;
}) {
  const t = useTranslations("gitlab.runner");
  const [connectionId, setConnectionId] = useState(connections[0]?.id ?? "");
  const [runnerType, setRunnerType] = useState<"instance_type" | "group_type" | "project_type">("project_type");
  const [scopeId, setScopeId] = useState("");
  const [description, setDescription] = useState(defaultDescription);
  const [tags, setTags] = useState("");
  const [runUntagged, setRunUntagged] = useState(true);
  const [locked, setLocked] = useState(true);
  const [paused, setPaused] = useState(false);
  const [maximumTimeout, setMaximumTimeout] = useState("");
  const [problem, setProblem] = useState<GitlabProblem | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<number | null>(null);
  const [pending, startTransition] = useTransition();

  const create = () =>
    startTransition(async () => {
      const result = await createGitlabRunnerAction(profileId, {
        gitlabConnectionId: connectionId,
        runnerType,
        ...(runnerType === "group_type" ? { groupId: scopeId } : {}),
        ...(runnerType === "project_type" ? { projectId: scopeId } : {}),
        description,
        tagList: tags
          .split(",")
          .map((tag) => tag.trim())
          .filter(Boolean),
        runUntagged,
        locked,
        paused,
        ...(maximumTimeout ? { maximumTimeout } : {}),
      });
      setProblem(result.ok ? null : (result.problem ?? null));
      setError(result.ok || result.problem ? null : (result.error ?? null));
      if (result.ok) {
        setCreated(result.value.runnerId);
        onCreated(result.value);
      }
    });

  return (
    <fieldset
      className="space-y-3 rounded-md border border-orange-200 p-3 dark:border-orange-900"
      data-testid="create-runner"
    >
      <legend className="px-1 text-sm font-medium">{t("title")}</legend>
      <p className="text-xs text-slate-500 dark:text-slate-400">{t("hint")}</p>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={t("connection")}>
          <select className={inputClass} value={connectionId} onChange={(e) => setConnectionId(e.target.value)}>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.url})
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("type")} name="runnerType">
          <select
            className={inputClass}
            value={runnerType}
            onChange={(e) => setRunnerType(e.target.value as typeof runnerType)}
          >
            <option value="project_type">{t("types.project_type")}</option>
            <option value="group_type">{t("types.group_type")}</option>
            <option value="instance_type">{t("types.instance_type")}</option>
          </select>
        </Field>
        {runnerType !== "instance_type" && (
          <Field label={runnerType === "project_type" ? t("projectId") : t("groupId")} name="scopeId">
            <input
              className={inputClass}
              inputMode="numeric"
              value={scopeId}
              onChange={(e) => setScopeId(e.target.value)}
            />
          </Field>
        )}
        <Field label={t("description")}>
          <input className={inputClass} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <Field label={t("tags")}>
          <input className={inputClass} value={tags} placeholder="ask, eci" onChange={(e) => setTags(e.target.value)} />
        </Field>
        <Field label={t("maximumTimeout")}>
          <input
            className={inputClass}
            inputMode="numeric"
            placeholder="3600"
            value={maximumTimeout}
            onChange={(e) => setMaximumTimeout(e.target.value)}
          />
        </Field>
      </div>
      <div className="flex flex-wrap gap-4 text-sm">
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={runUntagged} onChange={(e) => setRunUntagged(e.target.checked)} />
          {t("runUntagged")}
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={locked} onChange={(e) => setLocked(e.target.checked)} />
          {t("locked")}
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={paused} onChange={(e) => setPaused(e.target.checked)} />
          {t("paused")}
        </label>
      </div>
      {problem && <GitlabProblemAlert problem={problem} />}
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {t.has(`errors.${error}`) ? t(`errors.${error}`) : error}
        </p>
      )}
      {created !== null && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400" data-testid="runner-created">
          {t("created", { id: created })}
        </p>
      )}
      <Button onClick={create} disabled={pending || !connectionId}>
        {t("create")}
      </Button>
    </fieldset>
  );
}
