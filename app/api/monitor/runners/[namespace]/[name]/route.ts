import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { kubeConfigForConnection } from "@/lib/connections/kube-client.server";
import { loadRunnerActivity } from "@/lib/monitor/runner-events.server";
import { kubeErrorResponse, monitorPodTarget } from "@/lib/monitor/route-helpers.server";
import { streamQuerySchema } from "@/lib/monitor/validation";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ namespace: string; name: string }> };

/**
 * GET ?cluster=: a runner Deployment's manager pods (whose logs the pod log route serves) and the
 * events about the Deployment, its ReplicaSets and their pods. Any signed-in role, as every read view.
 */
export async function GET(request: Request, context: Context) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  // A Deployment's name is a DNS subdomain, as a pod's: the same route parameters check.
  const target = await monitorPodTarget(request, context.params, streamQuerySchema.pick({ cluster: true }));
  if (target.error) return target.error;
  try {
    const config = await kubeConfigForConnection(target.connection.id);
    const activity = await loadRunnerActivity(config, target.pod.namespace, target.pod.name);
    return NextResponse.json(activity, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return kubeErrorResponse(error);
  }
}
