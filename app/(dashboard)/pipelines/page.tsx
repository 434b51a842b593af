import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { MoneyTotals } from "@/components/gitlab/money";
import { RunPipelineForm } from "@/components/gitlab/pipeline-controls";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { requireUser } from "@/lib/auth/guard.server";
import { hasRole } from "@/lib/auth/roles";
import { db } from "@/lib/db.server";
import { gitlabCostReport, listPipelines } from "@/lib/gitlab/pipelines.server";
import { listGitlabConnections } from "@/lib/gitlab/store.server";

const DIMENSIONS = ["project", "pipeline", "branch", "user", "stage"] as const;

export default async function PipelinesPage({ searchParams }: { searchParams: Promise<{ gitlab?: string }> }) {
  const user = await requireUser();
  const t = await getTranslations("gitlab.pipelines");
  const connections = await listGitlabConnections();
  const { gitlab } = await searchParams;
  const connection = connections.find((c) => c.id === gitlab) ?? connections[0];
  if (!connection)
    return (
      <>
        <PageHeader title={t("title")} />
        <EmptyState
          title={t("noGitlab")}
          body={t("noGitlabBody")}
          action={{ href: "/gitlab/new", label: t("addGitlab") }}
        />
      </>
    );
  const [pipelines, report, projects] = await Promise.all([
    listPipelines(connection.id),
    gitlabCostReport(connection.id),
    db.gitlabJob.findMany({
      where: { gitlabConnectionId: connection.id },
      select: { projectId: true, projectPath: true },
      distinct: ["projectId"],
    }),
  ]);
  return (
    <>
      <PageHeader title={t("title")}>
        {connections.length > 1 && (
          <nav className="flex gap-2 text-sm">
            {connections.map((c) => (
              <Link
                key={c.id}
                href={`/pipelines?gitlab=${c.id}`}
                aria-current={c.id === connection.id ? "page" : undefined}
              >
                {c.name}
              </Link>
            ))}
          </nav>
        )}
      </PageHeader>
      {hasRole(user.role, "operator") && (
        <Card className="mb-6">
          <RunPipelineForm
            gitlabConnectionId={connection.id}
            projects={projects.map((p) => ({
              id: p.projectId,
              path: p.projectPath ?? String(p.projectId),
              defaultBranch: null,
            }))}
          />
        </Card>
      )}
      <h2 className="mb-2 text-lg font-semibold">{t("recent")}</h2>
      <Table data-testid="pipelines">
        <THead>
          <Th>{t("pipeline")}</Th>
          <Th>{t("project")}</Th>
          <Th>{t("ref")}</Th>
          <Th>{t("status")}</Th>
          <Th>{t("user")}</Th>
          <Th numeric>{t("jobs")}</Th>
          <Th numeric>{t("cost")}</Th>
        </THead>
        <TBody>
          {pipelines.map((p) => (
            <tr key={p.pipelineId} data-pipeline={p.pipelineId}>
              <Td>
                <Link className="text-orange-700 hover:underline" href={`/pipelines/${connection.id}/${p.pipelineId}`}>
                  #{p.pipelineId}
                </Link>
              </Td>
              <Td>{p.projectPath ?? p.projectId}</Td>
              <Td>{p.mergeRequestIid !== null ? `!${p.mergeRequestIid}` : p.ref}</Td>
              <Td>{p.status}</Td>
              <Td>{p.userName ?? "—"}</Td>
              <Td numeric>{p.jobs}</Td>
              <Td numeric>
                <MoneyTotals totals={p.cost} />
              </Td>
            </tr>
          ))}
        </TBody>
      </Table>
      <h2 className="mb-2 mt-8 text-lg font-semibold">{t("costTitle", { days: 30 })}</h2>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400" data-testid="cost-per-success">
        {report.perSuccessfulPipeline.length === 0
          ? t("noFinished")
          : report.perSuccessfulPipeline.map((c) => (
              <span key={c.currency} className="mr-4">
                {c.perSuccessMicros === null ? (
                  t("noSuccess", { finished: c.finished })
                ) : (
                  <>
                    {t("perSuccess")}: <MoneyTotals totals={{ [c.currency]: c.perSuccessMicros }} /> (
                    {t("ofFinished", { successful: c.successful, finished: c.finished })})
                  </>
                )}
              </span>
            ))}
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <h3 className="mb-2 font-medium">{t("topPipelines")}</h3>
          <ol className="space-y-1 text-sm" data-testid="top-pipelines">
            {report.topPipelines.map((p) => (
              <li key={p.pipelineId}>
                <Link className="text-orange-700 hover:underline" href={`/pipelines/${connection.id}/${p.pipelineId}`}>
                  {p.projectPath ?? p.projectId} #{p.pipelineId}
                </Link>{" "}
                — <MoneyTotals totals={p.cost} />
              </li>
            ))}
          </ol>
        </Card>
        {DIMENSIONS.map((dimension) => (
          <Card key={dimension}>
            <h3 className="mb-2 font-medium">{t(`by.${dimension}`)}</h3>
            <Table framed={false} data-testid={`cost-by-${dimension}`}>
              <TBody>
                {report.by[dimension].map((row) => (
                  <tr key={`${row.key}-${row.currency}`}>
                    <Td>{row.key}</Td>
                    <Td numeric>{t("jobCount", { count: row.jobs })}</Td>
                    <Td numeric>
                      <MoneyTotals totals={{ [row.currency]: row.costMicros }} />
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          </Card>
        ))}
      </div>
    </>
  );
}
