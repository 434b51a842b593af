"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { deleteProfileAction } from "@/app/(dashboard)/setup/actions";
import { useCan } from "@/components/auth/role-context";
import type { ConnectionDto } from "@/lib/connections/dto";
import { monitorHref } from "@/lib/monitor/url-state";
import type { ProfileDto } from "@/lib/wizard/profiles.server";
import { Button } from "@/components/ui/button";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";

export function ProfileList({ profiles, connections }: { profiles: ProfileDto[]; connections: ConnectionDto[] }) {
  const t = useTranslations("setup.list");
  const format = useFormatter();
  const router = useRouter();
  const canOperate = useCan("operator");
  const connectionName = (id: string | null) => connections.find((c) => c.id === id)?.name ?? "—";
  const liveView = (p: ProfileDto) => {
    const cluster = connections.find((c) => c.id === p.connectionId);
    return cluster && p.settings.cluster?.namespace
      ? monitorHref({
          cluster: cluster.name,
          namespace: p.settings.cluster.namespace,
          runner: p.settings.gitlab?.runnerName,
        })
      : null;
  };
  return (
    <Table>
      <THead>
        <Th>{t("name")}</Th>
        <Th>{t("cluster")}</Th>
        <Th>{t("namespace")}</Th>
        <Th>{t("status")}</Th>
        <Th>{t("updated")}</Th>
        <Th />
      </THead>
      <TBody>
        {profiles.map((p) => (
          <tr key={p.id}>
            <Td className="font-medium">
              {canOperate ? (
                <Link href={`/setup/${p.id}`} className="text-orange-700 hover:underline dark:text-orange-400">
                  {p.name}
                </Link>
              ) : (
                p.name
              )}
            </Td>
            <Td>{connectionName(p.connectionId)}</Td>
            <Td className="font-mono text-xs">{p.settings.cluster?.namespace ?? "—"}</Td>
            <Td>{t(`statuses.${p.status}`)}</Td>
            {/* `now` given explicitly: without it next-intl logs ENVIRONMENT_FALLBACK on every server render. */}
            <Td>{format.relativeTime(new Date(p.updatedAt), new Date())}</Td>
            <Td numeric className="space-x-3 whitespace-nowrap">
              {liveView(p) && (
                <Link href={liveView(p)!} className="text-xs text-orange-700 hover:underline dark:text-orange-400">
                  {t("monitor")}
                </Link>
              )}
              {canOperate && (
                <Button
                  variant="dangerLink"
                  className="text-xs"
                  onClick={async () => {
                    if (!window.confirm(t("deleteConfirm", { name: p.name }))) return;
                    await deleteProfileAction(p.id);
                    router.refresh();
                  }}
                >
                  {t("delete")}
                </Button>
              )}
            </Td>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
