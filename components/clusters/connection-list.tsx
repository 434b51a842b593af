"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { setDefaultConnectionAction } from "@/app/(dashboard)/clusters/actions";
import type { ConnectionDto } from "@/lib/connections/dto";
import { DeleteConnectionButton } from "./delete-connection-button";
import { useProblemText } from "./problem-text";

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
    <div className="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
          <tr>
            <th className="px-3 py-2">{t("name")}</th>
            <th className="px-3 py-2">{t("server")}</th>
            <th className="px-3 py-2">{t("health")}</th>
            <th className="px-3 py-2">{t("actions")}</th>
          </tr>
        </thead>
        <tbody>
          {connections.map((connection) => (
            <ConnectionRow key={connection.id} initial={connection} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ConnectionRow({ initial }: { initial: ConnectionDto }) {
  const t = useTranslations("clusters");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  // The server runs the check (credentials stay there); the row shows the recorded result.
  const health = useQuery({
    queryKey: healthQueryKey(initial.id),
    queryFn: () => checkHealth(initial.id),
    refetchInterval: HEALTH_INTERVAL_MS,
    staleTime: 0,
  });
  // Name and default flag come from the page (they change by actions that refresh it); health from the check.
  const connection = { ...initial, ...(health.data ?? {}), isDefault: initial.isDefault, name: initial.name };

  return (
    <tr
      className="border-t border-slate-200 align-top dark:border-slate-800"
      data-testid={`connection-${initial.name}`}
    >
      <td className="px-3 py-2">
        <Link
          href={`/clusters/${connection.id}`}
          className="font-medium text-orange-700 hover:underline dark:text-orange-400"
        >
          {connection.name}
        </Link>
        {connection.isDefault && (
          <span className="ml-2 rounded bg-orange-100 px-1.5 py-0.5 text-xs text-orange-800 dark:bg-orange-950 dark:text-orange-200">
            {t("list.default")}
          </span>
        )}
        <div className="text-xs text-slate-500">{t(`authType.${connection.authType}`)}</div>
      </td>
      <td className="px-3 py-2">
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
      </td>
      <td className="px-3 py-2">
        <HealthCell connection={connection} checking={health.isFetching} />
      </td>
      <td className="space-x-3 whitespace-nowrap px-3 py-2">
        <button
          type="button"
          className="text-sm hover:underline"
          onClick={() => void health.refetch()}
          disabled={health.isFetching}
        >
          {t("list.checkNow")}
        </button>
        {!connection.isDefault && (
          <button
            type="button"
            className="text-sm hover:underline"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                await setDefaultConnectionAction(connection.id);
                router.refresh();
              })
            }
          >
            {t("list.makeDefault")}
          </button>
        )}
        <Link href={`/clusters/${connection.id}`} className="text-sm hover:underline">
          {t("list.edit")}
        </Link>
        <DeleteConnectionButton id={connection.id} name={connection.name} />
      </td>
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
