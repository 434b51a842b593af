import "server-only";
import { timingSafeEqual } from "node:crypto";
import { recordAudit } from "@/lib/audit/record.server";
import type { SessionUser } from "@/lib/auth/session.server";
import { hashToken, SESSION_COOKIE } from "@/lib/auth/session.server";
import { readCookie } from "@/lib/auth/read-cookie";
import { kubeConfigForConnection } from "@/lib/connections/kube-client.server";
import { log } from "@/lib/observability/log";
import { bridgeShell, type SessionSummary, type ShellLimits } from "./bridge";
import { openPodShell } from "./exec.server";
import { issueShellTicket } from "./tickets";

export interface ShellRequest {
  user: SessionUser;
  /** The session cookie's token of the request that asked: the socket must come with the same session. */
  sessionToken: string;
  connection: { id: string; name: string };
  namespace: string;
  pod: string;
  container: string;
  cols: number;
  rows: number;
  limits: ShellLimits;
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** What the audit log says about how a session ended. */
export function endMessage(container: string, summary: SessionSummary): string {
  const how =
    summary.reason === "exited"
      ? `exit code ${summary.code}`
      : summary.reason === "closed"
        ? "closed by the user"
        : summary.reason === "idle"
          ? "ended by the idle limit"
          : summary.reason === "time-limit"
            ? "ended by the time limit"
            : `failed: ${summary.message ?? "unknown error"}`;
  return `container ${container}: ${how} after ${formatDuration(summary.durationMs)}`;
}

/** A ticket for the browser's WebSocket; the session is opened, bridged and audited when it arrives. */
export function prepareShell(request: ShellRequest): string {
  const sessionHash = hashToken(request.sessionToken);
  const actor = { id: request.user.id, username: request.user.username };
  const target = {
    type: "pod",
    id: `${request.connection.name}/${request.namespace}/${request.pod}`,
    name: `${request.namespace}/${request.pod}`,
  };
  return issueShellTicket({
    limits: request.limits,
    belongsTo(cookieHeader) {
      const token = readCookie(cookieHeader ?? null, SESSION_COOKIE);
      return token !== undefined && sameHash(hashToken(token), sessionHash);
    },
    start(browser, address) {
      let opened = false;
      // One line when the exec stream opens and one at the end, with how much output the browser
      // was sent: enough to tell a session that never got output from one that ended.
      const startedAt = Date.now();
      let outputChars = 0;
      const fields = { pod: target.name, container: request.container, user: actor.username };
      bridgeShell({
        browser,
        limits: request.limits,
        timer: {
          now: () => Date.now(),
          setTimeout: (callback, ms) => {
            const handle = setTimeout(callback, ms);
            return () => clearTimeout(handle);
          },
        },
        open: async (handlers) => {
          const config = await kubeConfigForConnection(request.connection.id);
          const stream = await openPodShell(config, request, {
            ...handlers,
            output(data) {
              outputChars += data.length;
              handlers.output(data);
            },
          });
          opened = true;
          log().info({ ...fields, ms: Date.now() - startedAt }, "shell: exec stream open");
          await recordAudit({
            actor,
            action: "pod.exec",
            target,
            result: "ok",
            message: `container ${request.container}`,
            address,
          });
          return stream;
        },
        onEnd(summary) {
          log().info(
            { ...fields, reason: summary.reason, code: summary.code, durationMs: summary.durationMs, outputChars },
            "shell: session ended",
          );
          if (!opened) {
            void recordAudit({
              actor,
              action: "pod.exec",
              target,
              result: "error",
              message: `container ${request.container}: ${summary.message ?? summary.reason}`,
              address,
            });
            return;
          }
          void recordAudit({
            actor,
            action: "pod.exec-end",
            target,
            result: "ok",
            message: endMessage(request.container, summary),
            address,
          });
        },
      });
    },
  });
}
