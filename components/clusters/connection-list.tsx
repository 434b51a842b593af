"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { setDefaultConnectionAction } from "@/app/(dashboard)/clusters/actions";
import { useCan } from "@/components/auth/role-context";
import type { ConnectionDto } from "@/lib/connections/dto";
import { DeleteConnectionButton } from "./delete-connection-button";
import { useProblemText } from "./problem-text";
import { Button } from "@/components/ui/button";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { Chip } from "@/components/ui/chip";

const HEALTH_INTERVAL_MS = 60_000;

export const healthQueryKey = (id: string) => ["connections", id, "health"] as const;

async function checkHealth(id: string): Promise<ConnectionDto> {
  const response = await fetch(`/api/connections/${encodeURIComponent(id)}/health`, { method: "POST" });
  if (!response.ok) throw new Error(`health check failed: HTTP ${response.status}`);
  return ((await response.json()) as { connection: ConnectionDto }).connection;
}

export function ConnectionList({ connections }: { connections: ConnectionDto[] }) {
  const t = useTranslations("clusters.list");
  return (
    <Table>
      <THead>
        <Th>{t("name")}</Th>
        <Th>{t("server")}</Th>
        <Th>{t("health")}</Th>
        <Th>{t("actions")}</Th>
      </THead>
      <TBody>
        {connections.map((connection) => (
          <ConnectionRow key={connection.id} initial={connection} />
        ))}
      </TBody>
    </Table>
  );
}

function ConnectionRow({ initial }: { initial: ConnectionDto }) {
  const t = useTranslations("clusters");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const canProbe = useCan("operator");
  const canAdminister = useCan("admin");
  // The server runs the check (credentials stay there); the row shows the recorded result. Probing is
  // an operator's; a viewer sees the last recorded health.
  const health = useQuery({
    queryKey: healthQueryKey(initial.id),
    queryFn: () => checkHealth(initial.id),
    refetchInterval: HEALTH_INTERVAL_MS,
    staleTime: 0,
    enabled: canProbe,
  });
  // Name and default flag come from the page (they change by actions that refresh it); health from the check.
  const connection = { ...initial, ...(health.data ?? {}), isDefault: initial.isDefault, name: initial.name };

  return (
    <tr className="align-top" data-testid={`connection-${initial.name}`}>
      <Td>
        {canAdminister ? (
          <Link
            href={`/clusters/${connection.id}`}
            className="font-medium text-orange-700 hover:underline dark:text-orange-400"
          >
            {connection.name}
          </Link>
        ) : (
          <span className="font-medium">{connection.name}</span>
        )}
        {connection.isDefault && (
          <Chip tone="accent" className="ml-2">
            {t("list.default")}
          </Chip>
        )}
        <div className="text-xs text-slate-500">{t(`authType.${connection.authType}`)}</div>
      </Td>
      <Td>
        <div className="break-all font-mono text-xs">{connection.server}</div>
        <div className="text-xs text-slate-500">
          {connection.skipTlsVerify ? (
            <span className="text-amber-700 dark:text-amber-400">{t("list.tlsSkipped")}</span>
          ) : connection.caFingerprint ? (
            <span title={connection.caFingerprint}>
              {t("list.caPinned", { fingerprint: connection.caFingerprint.slice(0, 23) + "…" })}
            </span>
          ) : (
            t("list.systemCa")
          )}
        </div>
      </Td>
      <Td>
        <HealthCell connection={connection} checking={health.isFetching} />
      </Td>
      <Td className="space-x-3 whitespace-nowrap px-3 py-2">
        {canProbe && (
          <Button
            variant="quietLink"
            className="text-sm"
            onClick={() => void health.refetch()}
            disabled={health.isFetching}
          >
            {t("list.checkNow")}
          </Button>
        )}
        {canAdminister && !connection.isDefault && (
          <Button
            variant="quietLink"
            className="text-sm"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                await setDefaultConnectionAction(connection.id);
                router.refresh();
              })
            }
          >
            {t("list.makeDefault")}
          </Button>
        )}
        {canAdminister && (
          <>
            <Link href={`/clusters/${connection.id}`} className="text-sm hover:underline">
              {t("list.edit")}
            </Link>
            <DeleteConnectionButton id={connection.id} name={connection.name} />
          </>
        )}
      </Td>
    </tr>
  );
}

function HealthCell({ connection, checking }: { connection: ConnectionDto; checking: boolean }) {
  const t = useTranslations("clusters.list");
  const format = useFormatter();
  const problemText = useProblemText();
  if (connection.lastHealthy === null)
    return <span className="text-slate-500">{checking ? t("checking") : t("unknown")}</span>;
  return (
    <div data-testid="health" data-healthy={connection.lastHealthy}>
      <span
        className={`flex items-center gap-1.5 font-medium ${connection.lastHealthy ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400"}`}
      >
        <span
          className={`inline-block h-2 w-2 rounded-full ${connection.lastHealthy ? "bg-green-500" : "bg-red-500"}`}
          aria-hidden
        />
        {connection.lastHealthy ? t("healthy") : t("unhealthy")}
        {checking && <span className="text-xs font-normal text-slate-500">{t("checking")}</span>}
      </span>
      <div className="text-xs text-slate-500">
        {connection.lastHealthy && connection.serverVersion && (
          <span>{t("version", { version: connection.serverVersion })} · </span>
        )}
        {connection.lastHealthy && connection.latencyMs !== null && (
          <span>{t("latency", { ms: connection.latencyMs })} · </span>
        )}
        {/* `now` given explicitly: without it next-intl logs ENVIRONMENT_FALLBACK on every server render. */}
        {connection.lastCheckedAt && (
          <span>{t("lastChecked", { time: format.relativeTime(new Date(connection.lastCheckedAt), new Date()) })}</span>
        )}
      </div>
      {!connection.lastHealthy && connection.lastError && (
        <div className="max-w-md text-xs text-red-700 dark:text-red-400">
          {problemText({ code: connection.lastError as never })}
        </div>
      )}
    </div>
  );
}
