import { NextResponse } from "next/server";
import { z } from "zod";
import { authorizeRequest } from "@/lib/auth/authorize.server";
import { readCookie } from "@/lib/auth/read-cookie";
import { SESSION_COOKIE } from "@/lib/auth/session.server";
import { readPod } from "@/lib/monitor/pod-access.server";
import { jsonError, kubeErrorResponse, monitorPodTarget } from "@/lib/monitor/route-helpers.server";
import { streamQuerySchema } from "@/lib/monitor/validation";
import { shellLimits } from "@/lib/shell/limits.server";
import { prepareShell } from "@/lib/shell/ticket.server";
import { SHELL_SOCKET_PATH } from "@/lib/shell/tickets";

type Context = { params: Promise<{ namespace: string; name: string }> };

const bodySchema = z.object({
  container: z
    .string()
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "Container name must be a DNS label such as build"),
  cols: z.number().int().min(1).max(1000).default(80),
  rows: z.number().int().min(1).max(1000).default(24),
});

/**
 * POST: a one-use ticket for a terminal in one of the pod's running containers; the browser opens
 * the WebSocket at `url` with it (server/shell-socket.ts). Operators only; the session is audited.
 */
export async function POST(request: Request, context: Context) {
  const auth = await authorizeRequest(request, "operator", { action: "pod.exec" });
  if (auth.error) return auth.error;
  const t = await monitorPodTarget(request, context.params, streamQuerySchema.pick({ cluster: true }));
  if (t.error) return t.error;
  const body = bodySchema.safeParse(await request.json().catch(() => undefined));
  if (!body.success) return jsonError(422, "Invalid shell request", { body: body.error.issues[0]?.message ?? "" });
  try {
    const pod = await readPod(t.connection.id, t.pod.namespace, t.pod.name);
    const running = pod.status?.containerStatuses?.find((s) => s.name === body.data.container)?.state?.running;
    if (!running) return jsonError(409, `Container ${body.data.container} is not running`);
  } catch (error) {
    return kubeErrorResponse(error);
  }
  const limits = shellLimits();
  const ticket = prepareShell({
    user: auth.user,
    sessionToken: readCookie(request.headers.get("cookie"), SESSION_COOKIE) ?? "",
    connection: t.connection,
    namespace: t.pod.namespace,
    pod: t.pod.name,
    ...body.data,
    limits,
  });
  return NextResponse.json(
    { url: `${SHELL_SOCKET_PATH}?${new URLSearchParams({ ticket })}`, idleMs: limits.idleMs, maxMs: limits.maxMs },
    { headers: { "cache-control": "no-store" } },
  );
}
