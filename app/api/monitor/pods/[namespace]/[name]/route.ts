import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { deletePod, readPod } from "@/lib/monitor/pod-access.server";
import { toPodDetail } from "@/lib/monitor/pod-detail";
import { issuesByField, podRefSchema, streamQuerySchema } from "@/lib/monitor/validation";
import { jsonError, kubeErrorResponse, monitorConnection, parseQuery } from "@/lib/monitor/route-helpers.server";

type Context = { params: Promise<{ namespace: string; name: string }> };

async function target(request: Request, context: Context) {
  const ref = podRefSchema.safeParse(await context.params);
  if (!ref.success) return { error: jsonError(422, "Invalid pod", issuesByField(ref.error)) };
  const query = parseQuery(request, streamQuerySchema.pick({ cluster: true }));
  if (query.error) return { error: query.error };
  const resolved = await monitorConnection(query.data.cluster);
  if (resolved.error) return { error: resolved.error };
  return { connectionId: resolved.connection.id, ...ref.data };
}

/** GET: the detail panel's pod (containers, conditions, annotations; no env values). */
export async function GET(request: Request, context: Context) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const t = await target(request, context);
  if (t.error) return t.error;
  try {
    return NextResponse.json(toPodDetail(await readPod(t.connectionId, t.namespace, t.name)), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return kubeErrorResponse(error);
  }
}

/** DELETE: deletes the pod (the runner then fails the job); same-origin only, like every mutation. */
export async function DELETE(request: Request, context: Context) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const t = await target(request, context);
  if (t.error) return t.error;
  try {
    await deletePod(t.connectionId, t.namespace, t.name);
    return NextResponse.json({ deleted: true });
  } catch (error) {
    return kubeErrorResponse(error);
  }
}
