import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { MoneyTotals } from "@/components/gitlab/money";
import { JobButtons } from "@/components/gitlab/pipeline-controls";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { requireUser } from "@/lib/auth/guard.server";
import { hasRole } from "@/lib/auth/roles";
import { pipelineDetail } from "@/lib/gitlab/pipelines.server";

const seconds = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);

export default async function PipelinePage({ params }: { params: Promise<{ gitlab: string; id: string }> }) {
  const user = await requireUser();
  const t = await getTranslations("gitlab.pipelines");
  const { gitlab, id } = await params;
  const pipelineId = Number(id);
  if (!/^\d{1,15}$/.test(id) || !/^[a-z0-9]{1,64}$/i.test(gitlab)) notFound();
  const detail = await pipelineDetail(gitlab, pipelineId);
  if (!detail) notFound();
  const { pipeline } = detail;
  const operator = hasRole(user.role, "operator");
  return (
    <>
      <PageHeader
        title={t("pipelineTitle", {
          id: pipeline.pipelineId,
          project: pipeline.projectPath ?? String(pipeline.projectId),
        })}
      />
      <p className="mb-4 text-sm" data-testid="pipeline-summary" data-status={pipeline.status}>
        {pipeline.status} · {pipeline.mergeRequestIid !== null ? `!${pipeline.mergeRequestIid}` : pipeline.ref} ·{" "}
        {pipeline.source ?? "—"} · {pipeline.userName ?? "—"} · {t("total")}: <MoneyTotals totals={detail.total} />
        {detail.refreshProblem && (
          <span className="ml-2 text-amber-700"> ({t("stale", { problem: detail.refreshProblem })})</span>
        )}
      </p>
      <Table data-testid="pipeline-jobs">
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
                  <JobButtons gitlabConnectionId={gitlab} jobId={job.jobId} status={job.status} />
                </Td>
              )}
            </tr>
          ))}
        </TBody>
      </Table>
    </>
  );
}
