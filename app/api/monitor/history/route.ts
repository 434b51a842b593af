import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { queryJobHistory } from "@/lib/job-history/list.server";
import { monitorTarget } from "@/lib/monitor/route-helpers.server";
import { historyQuerySchema } from "@/lib/monitor/validation";

/** GET ?cluster=&project=&status=&from=&to=&page=&pageSize=: finished jobs, newest first, with totals. */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const target = await monitorTarget(request, historyQuerySchema);
  if (target.error) return target.error;
  return NextResponse.json(await queryJobHistory(target.connection.id, target.query), {
    headers: { "cache-control": "no-store" },
  });
}
