"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConnectionIndicator } from "@/components/monitor/connection-indicator";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import type { PipelineDetail } from "@/lib/gitlab/pipelines.server";
import { MoneyTotals } from "./money";
import { JobButtons } from "./pipeline-controls";
import { usePipelineStream } from "./use-pipeline-stream";

const seconds = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);

/**
 * A pipeline's jobs with their pods, queue split and cost: the server's view first, then the stored
 * view from the page's stream after every change (a webhook, a sync pass, a job record). While the
 * stream is not live the indicator says so and the table is dimmed.
 */
export function PipelineView({
  gitlabConnectionId,
  initial,
  operator,
}: {
  gitlabConnectionId: string;
  initial: PipelineDetail;
  operator: boolean;
}) {
  const t = useTranslations("gitlab.pipelines");
  const { live, status } = usePipelineStream(gitlabConnectionId, initial.pipeline.pipelineId);
  // A new server render (after a job action) is as fresh as the stream: show it until the next change.
  const [rendered, setRendered] = useState({ initial, live });
  if (rendered.initial !== initial) setRendered({ initial, live });
  const detail = live && live !== rendered.live ? live : rendered.initial;
  const { pipeline } = detail;
  return (
    <>
      <p className="mb-4 flex flex-wrap items-center gap-2 text-sm">
        <span data-testid="pipeline-summary" data-status={pipeline.status}>
          {pipeline.status} · {pipeline.mergeRequestIid !== null ? `!${pipeline.mergeRequestIid}` : pipeline.ref} ·{" "}
          {pipeline.source ?? "—"} · {pipeline.userName ?? "—"} · {t("total")}: <MoneyTotals totals={detail.total} />
          {initial.refreshProblem && (
            <span className="ml-2 text-amber-700"> ({t("stale", { problem: initial.refreshProblem })})</span>
          )}
        </span>
        <span data-testid="pipeline-live">
          <ConnectionIndicator status={status} />
        </span>
      </p>
      <Table data-testid="pipeline-jobs" className={status.state === "live" ? undefined : "opacity-70"}>
        <THead>
          <Th>{t("job")}</Th>
          <Th>{t("stage")}</Th>
          <Th>{t("status")}</Th>
          <Th>{t("pod")}</Th>
          <Th numeric>{t("waitingForRunner")}</Th>
          <Th numeric>{t("podStarting")}</Th>
          <Th numeric>{t("duration")}</Th>
          <Th numeric>{t("cost")}</Th>
          {operator && <Th />}
        </THead>
        <TBody>
          {detail.jobs.map((job) => (
            <tr key={job.jobId} data-job={job.jobId} data-status={job.status}>
              <Td>
                {job.name} <span className="text-xs text-slate-500">#{job.jobId}</span>
              </Td>
              <Td>{job.stage}</Td>
              <Td>{job.status}</Td>
              <Td className="font-mono text-xs">
                {job.pod ? `${job.pod.name}${job.pod.estimated ? ` (${t("estimated")})` : ""}` : "—"}
              </Td>
              <Td numeric>{seconds(job.queue.waitingForRunnerMs)}</Td>
              <Td numeric>{seconds(job.queue.podStartingMs)}</Td>
              <Td numeric>{job.durationSeconds === null ? "—" : `${job.durationSeconds.toFixed(1)} s`}</Td>
              <Td numeric data-testid="job-cost">
                {job.costMicros === null || !job.currency ? (
                  "—"
                ) : (
                  <MoneyTotals totals={{ [job.currency]: job.costMicros }} />
                )}
              </Td>
              {operator && (
                <Td>
                  <JobButtons gitlabConnectionId={gitlabConnectionId} jobId={job.jobId} status={job.status} />
                </Td>
              )}
            </tr>
          ))}
        </TBody>
      </Table>
    </>
  );
}
