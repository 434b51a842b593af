import { getTranslations } from "next-intl/server";
import { MonitorView } from "@/components/monitor/monitor-view";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { apiErrorMessage } from "@/lib/kube/api-error";
import { requireUser } from "@/lib/auth/guard.server";
import { listConnections, resolveConnection } from "@/lib/connections/kube-client.server";
import type { RunnerInfo } from "@/lib/monitor/runner-info";
import { loadRunners } from "@/lib/monitor/runners.server";
import { streamQuerySchema } from "@/lib/monitor/validation";
import { Button } from "@/components/ui/button";

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value || undefined;
}

export default async function MonitorPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser();
  const t = await getTranslations();
  const raw = await searchParams;
  const parsed = streamQuerySchema.safeParse({ cluster: first(raw.cluster), namespace: first(raw.namespace) });
  const query = parsed.success ? parsed.data : streamQuerySchema.parse({});
  const connections = await listConnections();
  if (connections.length === 0) {
    return (
      <>
        <PageHeader title={t("monitor.title")} />
        <EmptyState
          title={t("monitor.emptyTitle")}
          body={t("monitor.emptyBody")}
          action={{ href: "/clusters", label: t("common.goToClusters") }}
        />
      </>
    );
  }
  const connection = await resolveConnection(query.cluster);
  if (!connection) {
    return (
      <>
        <PageHeader title={t("monitor.title")} />
        <EmptyState
          title={t("monitor.unknownClusterTitle", { name: query.cluster ?? "" })}
          body={t("monitor.unknownClusterBody")}
          action={{ href: "/monitor", label: t("monitor.title") }}
        />
      </>
    );
  }

  let runners: RunnerInfo[] = [];
  let runnersError: string | null = null;
  try {
    runners = await loadRunners(connection.id, query.namespace);
  } catch (error) {
    runnersError = apiErrorMessage(error).slice(0, 300);
  }

  return (
    <>
      <PageHeader title={t("monitor.title")}>
        <form className="flex items-center gap-2 text-sm" method="get">
          <label className="flex items-center gap-1">
            {t("monitor.cluster")}
            <select
              name="cluster"
              defaultValue={connection.name}
              className="rounded-md border border-slate-300 bg-transparent px-2 py-1 dark:border-slate-700"
            >
              {connections.map((c) => (
                <option key={c.id} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-1">
            {t("monitor.namespace")}
            <input
              name="namespace"
              defaultValue={query.namespace}
              className="w-36 rounded-md border border-slate-300 bg-transparent px-2 py-1 dark:border-slate-700"
            />
          </label>
          <Button type="submit" variant="compact">
            →
          </Button>
        </form>
      </PageHeader>
      <MonitorView
        key={`${connection.name}/${query.namespace}`}
        cluster={connection.name}
        namespace={query.namespace}
        runners={runners}
        runnersError={runnersError}
      />
    </>
  );
}
