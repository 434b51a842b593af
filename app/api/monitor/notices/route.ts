import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { podNotices } from "@/lib/monitor/pod-notices.server";
import { kubeErrorResponse, monitorTarget } from "@/lib/monitor/route-helpers.server";
import { streamQuerySchema } from "@/lib/monitor/validation";

/**
 * GET ?cluster=&namespace=: the platform's warnings about pods that are about to be ended (ECI's
 * SpotToBeReleased, ACS's best-effort eviction notice), for the live table's rows. Event reasons,
 * messages and pod names only.
 */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const target = await monitorTarget(request, streamQuerySchema);
  if (target.error) return target.error;
  try {
    const notices = await podNotices(target.connection.id, target.query.namespace);
    return NextResponse.json({ notices }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return kubeErrorResponse(error);
  }
}
