import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { historyCsv } from "@/lib/job-history/list";
import { exportJobHistory } from "@/lib/job-history/list.server";
import { monitorTarget } from "@/lib/monitor/route-helpers.server";
import { historyQuerySchema } from "@/lib/monitor/validation";

/** GET ?<the History tab's filters>: every matching job as a CSV download. */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const target = await monitorTarget(request, historyQuerySchema);
  if (target.error) return target.error;
  const rows = await exportJobHistory(target.connection.id, target.query);
  return new NextResponse(historyCsv(rows), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="ask-ci-jobs-${target.connection.name.replace(/[^A-Za-z0-9._-]/g, "_")}.csv"`,
      "cache-control": "no-store",
    },
  });
}
