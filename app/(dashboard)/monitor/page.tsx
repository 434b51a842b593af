import { getTranslations } from "next-intl/server";
import { MonitorView, type RunnerProfileLink } from "@/components/monitor/monitor-view";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { apiErrorMessage } from "@/lib/kube/api-error";
import { requireUser } from "@/lib/auth/guard.server";
import { listConnections, resolveConnection } from "@/lib/connections/kube-client.server";
import { podWatchScope } from "@/lib/connections/pod-scope.server";
import type { RunnerInfo } from "@/lib/monitor/runner-info";
import { loadRunners, runnerNamespaces } from "@/lib/monitor/runners.server";
import { ALL_NAMESPACES, DEFAULT_NAMESPACE, watchedNamespaceSchema } from "@/lib/monitor/validation";
import { listProfiles } from "@/lib/wizard/profiles.server";
import { Button } from "@/components/ui/button";
import { compactInputClass } from "@/components/ui/field";

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value || undefined;
}

export default async function MonitorPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser();
  const t = await getTranslations();
  const raw = await searchParams;
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
  const clusterName = first(raw.cluster)?.slice(0, 200);
  const connection = await resolveConnection(clusterName);
  if (!connection) {
    return (
      <>
        <PageHeader title={t("monitor.title")} />
        <EmptyState
          title={t("monitor.unknownClusterTitle", { name: clusterName ?? "" })}
          body={t("monitor.unknownClusterBody")}
          action={{ href: "/monitor", label: t("monitor.title") }}
        />
      </>
    );
  }

  // Without a namespace: every namespace when the credentials may watch them all (runners live
  // wherever their install put them), else the usual one.
  const asked = watchedNamespaceSchema.safeParse(first(raw.namespace));
  const namespace = asked.success
    ? asked.data
    : (await podWatchScope(connection.id)) === "denied"
      ? DEFAULT_NAMESPACE
      : ALL_NAMESPACES;

  const [runnersResult, withRunners, profiles] = await Promise.all([
    loadRunners(connection.id, namespace).then(
      (runners): { runners: RunnerInfo[]; error: string | null } => ({ runners, error: null }),
      (error: unknown) => ({ runners: [], error: apiErrorMessage(error).slice(0, 300) }),
    ),
    runnerNamespaces(connection.id),
    listProfiles(),
  ]);
  const ownProfiles = profiles.filter((p) => p.connectionId === connection.id);

  // The picker: namespaces that run a runner, those the profiles install into, the usual one and this one.
  const choices = new Map<string, number>(withRunners ?? []);
  for (const ns of [DEFAULT_NAMESPACE, ...ownProfiles.map((p) => p.settings.cluster?.namespace)]) {
    if (ns && !choices.has(ns)) choices.set(ns, 0);
  }
  if (namespace !== ALL_NAMESPACES && !choices.has(namespace)) choices.set(namespace, 0);
  const namespaceOptions = [...choices].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  // Runner cards link back to the profile that installed them (same cluster, namespace and instance name).
  const profileLinks: Record<string, RunnerProfileLink> = {};
  for (const profile of ownProfiles) {
    const ns = profile.settings.cluster?.namespace;
    if (ns)
      profileLinks[`${ns}/${profile.settings.cluster?.instanceName ?? "gitlab-runner"}`] = {
        id: profile.id,
        name: profile.name,
      };
  }

  return (
    <>
      <PageHeader title={t("monitor.title")}>
        <form className="flex flex-wrap items-center gap-2 text-sm" method="get" data-testid="monitor-target">
          <label className="flex items-center gap-1">
            {t("monitor.cluster")}
            <select name="cluster" defaultValue={connection.name} className={compactInputClass}>
              {connections.map((c) => (
                <option key={c.id} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-1">
            {t("monitor.namespace")}
            <select name="namespace" defaultValue={namespace} className={compactInputClass}>
              <option value={ALL_NAMESPACES}>{t("monitor.allNamespaces")}</option>
              {namespaceOptions.map(([ns, runners]) => (
                <option key={ns} value={ns}>
                  {runners > 0 ? t("monitor.namespaceWithRunners", { namespace: ns, runners }) : ns}
                </option>
              ))}
            </select>
          </label>
          <Button type="submit" variant="compact">
            {t("monitor.show")}
          </Button>
        </form>
      </PageHeader>
      <MonitorView
        key={`${connection.name}/${namespace}`}
        cluster={connection.name}
        namespace={namespace}
        runners={runnersResult.runners}
        runnersError={runnersResult.error}
        profileLinks={profileLinks}
      />
    </>
  );
}
