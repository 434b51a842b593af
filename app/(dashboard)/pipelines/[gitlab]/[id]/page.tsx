import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { PipelineView } from "@/components/gitlab/pipeline-view";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";
import { hasRole } from "@/lib/auth/roles";
import { pipelineDetail } from "@/lib/gitlab/pipelines.server";

export default async function PipelinePage({ params }: { params: Promise<{ gitlab: string; id: string }> }) {
  const user = await requireUser();
  const t = await getTranslations("gitlab.pipelines");
  const { gitlab, id } = await params;
  const pipelineId = Number(id);
  if (!/^\d{1,15}$/.test(id) || !/^[a-z0-9]{1,64}$/i.test(gitlab)) notFound();
  const detail = await pipelineDetail(gitlab, pipelineId);
  if (!detail) notFound();
  const { pipeline } = detail;
  return (
    <>
      <PageHeader
        title={t("pipelineTitle", {
          id: pipeline.pipelineId,
          project: pipeline.projectPath ?? String(pipeline.projectId),
        })}
      />
      <PipelineView gitlabConnectionId={gitlab} initial={detail} operator={hasRole(user.role, "operator")} />
    </>
  );
}
