import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { loadConnectionPricing } from "@/lib/cost/connection-pricing.server";
import { focusCsv } from "@/lib/job-history/focus";
import { exportJobHistory } from "@/lib/job-history/list.server";
import { monitorTarget } from "@/lib/monitor/route-helpers.server";
import { historyQuerySchema } from "@/lib/monitor/validation";

/** GET ?<the History tab's filters>: every matching job as a FinOps FOCUS CSV. */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const target = await monitorTarget(request, historyQuerySchema);
  if (target.error) return target.error;
  const rows = await exportJobHistory(target.connection.id, target.query);
  const { region } = await loadConnectionPricing(target.connection.id);
  return new NextResponse(focusCsv(rows, { connectionName: target.connection.name, region }), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="ask-ci-focus-${target.connection.name.replace(/[^A-Za-z0-9._-]/g, "_")}.csv"`,
      "cache-control": "no-store",
    },
  });
}
