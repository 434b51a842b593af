"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { jobActionAction, runPipelineAction, type PipelineActionResult } from "@/app/(dashboard)/pipelines/actions";
import { Button } from "@/components/ui/button";
import { compactInputClass } from "@/components/ui/field";
import { GitlabProblemAlert } from "./gitlab-problem";

function Failure({ result }: { result: PipelineActionResult | null }) {
  const t = useTranslations("gitlab.pipelines");
  if (!result || result.ok) return null;
  return result.problem ? (
    <GitlabProblemAlert problem={result.problem} />
  ) : (
    <p role="alert">{t("invalid", { field: result.error ?? "" })}</p>
  );
}

/** Run a pipeline: a project the link knows (or any id) and a ref. */
export function RunPipelineForm({
  gitlabConnectionId,
  projects,
}: {
  gitlabConnectionId: string;
  projects: Array<{ id: number; path: string; defaultBranch: string | null }>;
}) {
  const t = useTranslations("gitlab.pipelines");
  const router = useRouter();
  const [projectId, setProjectId] = useState(String(projects[0]?.id ?? ""));
  const [ref, setRef] = useState(projects[0]?.defaultBranch ?? "main");
  const [result, setResult] = useState<PipelineActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      data-testid="run-pipeline"
      onSubmit={(event) => {
        event.preventDefault();
        startTransition(async () => {
          const outcome = await runPipelineAction({ gitlabConnectionId, projectId, ref });
          setResult(outcome);
          if (outcome.ok && outcome.pipelineId !== null)
            router.push(`/pipelines/${gitlabConnectionId}/${outcome.pipelineId}`);
        });
      }}
    >
      <label className="text-sm">
        {t("project")}
        <input
          className={compactInputClass}
          name="projectId"
          list="known-projects"
          value={projectId}
          onChange={(e) => setProjectId(e.target.value)}
        />
      </label>
      {/* Outside the label: its options' text would otherwise be part of the label's text. */}
      <datalist id="known-projects">
        {projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.path}
          </option>
        ))}
      </datalist>
      <label className="text-sm">
        {t("ref")}
        <input className={compactInputClass} name="ref" value={ref} onChange={(e) => setRef(e.target.value)} />
      </label>
      <Button type="submit" variant="primary" disabled={pending}>
        {t("run")}
      </Button>
      <Failure result={result} />
    </form>
  );
}

export function JobButtons({
  gitlabConnectionId,
  jobId,
  status,
}: {
  gitlabConnectionId: string;
  jobId: number;
  status: string;
}) {
  const t = useTranslations("gitlab.pipelines");
  const router = useRouter();
  const [result, setResult] = useState<PipelineActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const act = (action: "retry" | "cancel") =>
    startTransition(async () => {
      setResult(await jobActionAction({ gitlabConnectionId, jobId, action }));
      router.refresh();
    });
  const cancellable = ["created", "pending", "running", "waiting_for_resource", "preparing", "scheduled"].includes(
    status,
  );
  const retryable = ["success", "failed", "canceled"].includes(status);
  return (
    <span className="flex gap-1">
      {cancellable && (
        <Button variant="compact" disabled={pending} onClick={() => act("cancel")}>
          {t("cancel")}
        </Button>
      )}
      {retryable && (
        <Button variant="compact" disabled={pending} onClick={() => act("retry")}>
          {t("retry")}
        </Button>
      )}
      <Failure result={result} />
    </span>
  );
}
