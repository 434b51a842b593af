"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useTransition } from "react";
import { revokeUserSessionAction } from "@/app/(dashboard)/settings/users/actions";
import { revokeOwnSessionAction } from "@/app/(dashboard)/settings/sessions/actions";
import { Button } from "@/components/ui/button";
import { Chip } from "@/components/ui/chip";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
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
    <Table>
      <THead>
        {scope === "all" && <Th>{t("user")}</Th>}
        <Th>{t("method")}</Th>
        <Th>{t("address")}</Th>
        <Th>{t("browser")}</Th>
        <Th>{t("started")}</Th>
        <Th>{t("lastSeen")}</Th>
        <Th>{t("expires")}</Th>
        <Th />
      </THead>
      <TBody>
        {sessions.map((session) => (
          <tr key={session.id} data-testid="session-row">
            {scope === "all" && <Td className="font-medium">{session.username}</Td>}
            <Td>{session.method === "gitlab" ? t("methodGitlab") : t("methodPassword")}</Td>
            <Td className="font-mono text-xs">{session.address ?? "—"}</Td>
            <Td title={session.userAgent ?? undefined}>
              {browserOf(session.userAgent)}
              {session.current && (
                <Chip tone="accent" className="ml-2">
                  {t("current")}
                </Chip>
              )}
            </Td>
            <Td className="whitespace-nowrap">{when(session.createdAt)}</Td>
            <Td className="whitespace-nowrap">{when(session.lastSeenAt)}</Td>
            <Td className="whitespace-nowrap">{when(session.expiresAt)}</Td>
            <Td numeric>
              <Button
                variant="dangerLink"
                className="text-sm"
                disabled={pending}
                aria-label={t("revokeNamed", { started: when(session.createdAt), address: session.address ?? "—" })}
                onClick={() =>
                  startTransition(async () => {
                    const form = new FormData();
                    form.set("sessionId", session.id);
                    await revoke(form);
                  })
                }
              >
                {t("revoke")}
              </Button>
            </Td>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
