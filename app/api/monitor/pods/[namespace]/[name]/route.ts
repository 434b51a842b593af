import { NextResponse } from "next/server";
import { audited } from "@/lib/audit/record.server";
import { authorizeRequest } from "@/lib/auth/authorize.server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { deletePod, readPod } from "@/lib/monitor/pod-access.server";
import { toPodDetail } from "@/lib/monitor/pod-detail";
import { streamQuerySchema } from "@/lib/monitor/validation";
import { kubeErrorResponse, monitorPodTarget } from "@/lib/monitor/route-helpers.server";

type Context = { params: Promise<{ namespace: string; name: string }> };

const target = (request: Request, context: Context) =>
  monitorPodTarget(request, context.params, streamQuerySchema.pick({ cluster: true }));

/** GET: the detail panel's pod (containers, conditions, annotations; no env values). */
export async function GET(request: Request, context: Context) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const t = await target(request, context);
  if (t.error) return t.error;
  try {
    return NextResponse.json(toPodDetail(await readPod(t.connection.id, t.pod.namespace, t.pod.name)), {
      headers: { "cache-control": "no-store" },
    });
  } catch (error) {
    return kubeErrorResponse(error);
  }
}

/** DELETE: deletes the pod (the runner then fails the job); operators only, same-origin only, audited. */
export async function DELETE(request: Request, context: Context) {
  const auth = await authorizeRequest(request, "operator", { action: "pod.delete" });
  if (auth.error) return auth.error;
  const t = await target(request, context);
  if (t.error) return t.error;
  const pod = {
    type: "pod",
    id: `${t.connection.name}/${t.pod.namespace}/${t.pod.name}`,
    name: `${t.pod.namespace}/${t.pod.name}`,
  };
  try {
    await audited({ actor: auth.user, action: "pod.delete", target: pod }, () =>
      deletePod(t.connection.id, t.pod.namespace, t.pod.name),
    );
    return NextResponse.json({ deleted: true });
  } catch (error) {
    return kubeErrorResponse(error);
  }
}
