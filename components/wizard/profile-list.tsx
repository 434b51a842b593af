"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { deleteProfileAction } from "@/app/(dashboard)/setup/actions";
import type { ConnectionDto } from "@/lib/connections/dto";
import type { ProfileDto } from "@/lib/wizard/profiles.server";

export function ProfileList({ profiles, connections }: { profiles: ProfileDto[]; connections: ConnectionDto[] }) {
  const t = useTranslations("setup.list");
  const format = useFormatter();
  const router = useRouter();
  const connectionName = (id: string | null) => connections.find((c) => c.id === id)?.name ?? "—";
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
          <tr>
            <th className="px-4 py-2">{t("name")}</th>
            <th className="px-4 py-2">{t("cluster")}</th>
            <th className="px-4 py-2">{t("namespace")}</th>
            <th className="px-4 py-2">{t("status")}</th>
            <th className="px-4 py-2">{t("updated")}</th>
            <th className="px-4 py-2" />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {profiles.map((p) => (
            <tr key={p.id}>
              <td className="px-4 py-2 font-medium">
                <Link href={`/setup/${p.id}`} className="text-orange-700 hover:underline dark:text-orange-400">
                  {p.name}
                </Link>
              </td>
              <td className="px-4 py-2">{connectionName(p.connectionId)}</td>
              <td className="px-4 py-2 font-mono text-xs">{p.settings.cluster?.namespace ?? "—"}</td>
              <td className="px-4 py-2">{t(`statuses.${p.status}`)}</td>
              {/* `now` given explicitly: without it next-intl logs ENVIRONMENT_FALLBACK on every server render. */}
              <td className="px-4 py-2">{format.relativeTime(new Date(p.updatedAt), new Date())}</td>
              <td className="px-4 py-2 text-right">
                <button
                  type="button"
                  className="text-xs text-red-600 hover:underline"
                  onClick={async () => {
                    if (!window.confirm(t("deleteConfirm", { name: p.name }))) return;
                    await deleteProfileAction(p.id);
                    router.refresh();
                  }}
                >
                  {t("delete")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
