"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useTransition } from "react";
import { revokeUserSessionAction } from "@/app/(dashboard)/settings/users/actions";
import { revokeOwnSessionAction } from "@/app/(dashboard)/settings/sessions/actions";
import type { SessionDto } from "@/lib/auth/sessions.server";

/** A rough browser name from a User-Agent, enough to recognise a session; the full string is the title. */
function browserOf(userAgent: string | null): string {
  if (!userAgent) return "—";
  const match = /(Edg|Firefox|Chrome|Chromium|Safari|curl|HeadlessChrome)\/[\d.]+/.exec(userAgent);
  const os = /(Windows|Mac OS X|Android|iPhone|Linux)/.exec(userAgent)?.[1];
  return [match?.[0].split(".")[0] ?? userAgent.slice(0, 40), os].filter(Boolean).join(", ");
}

/**
 * Live sessions with an "End session" button each: one's own (any role) or everyone's (`scope` "all",
 * admins: the server checks both).
 */
export function SessionTable({ sessions, scope }: { sessions: SessionDto[]; scope: "own" | "all" }) {
  const t = useTranslations("teams.sessions");
  const format = useFormatter();
  const [pending, startTransition] = useTransition();
  const revoke = scope === "own" ? revokeOwnSessionAction : revokeUserSessionAction;
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  if (sessions.length === 0) return <p className="text-sm text-slate-500">{t("none")}</p>;
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
          <tr>
            {scope === "all" && <th className="px-3 py-2">{t("user")}</th>}
            <th className="px-3 py-2">{t("method")}</th>
            <th className="px-3 py-2">{t("address")}</th>
            <th className="px-3 py-2">{t("browser")}</th>
            <th className="px-3 py-2">{t("started")}</th>
            <th className="px-3 py-2">{t("lastSeen")}</th>
            <th className="px-3 py-2">{t("expires")}</th>
            <th className="px-3 py-2" />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {sessions.map((session) => (
            <tr key={session.id} data-testid="session-row">
              {scope === "all" && <td className="px-3 py-2 font-medium">{session.username}</td>}
              <td className="px-3 py-2">{session.method === "gitlab" ? t("methodGitlab") : t("methodPassword")}</td>
              <td className="px-3 py-2 font-mono text-xs">{session.address ?? "—"}</td>
              <td className="px-3 py-2" title={session.userAgent ?? undefined}>
                {browserOf(session.userAgent)}
                {session.current && (
                  <span className="ml-2 rounded bg-orange-100 px-1.5 py-0.5 text-xs text-orange-800 dark:bg-orange-950 dark:text-orange-200">
                    {t("current")}
                  </span>
                )}
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{when(session.createdAt)}</td>
              <td className="px-3 py-2 whitespace-nowrap">{when(session.lastSeenAt)}</td>
              <td className="px-3 py-2 whitespace-nowrap">{when(session.expiresAt)}</td>
              <td className="px-3 py-2 text-right">
                <button
                  type="button"
                  disabled={pending}
                  aria-label={t("revokeNamed", { started: when(session.createdAt), address: session.address ?? "—" })}
                  className="text-sm text-red-700 hover:underline disabled:opacity-60 dark:text-red-400"
                  onClick={() =>
                    startTransition(async () => {
                      const form = new FormData();
                      form.set("sessionId", session.id);
                      await revoke(form);
                    })
                  }
                >
                  {t("revoke")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
