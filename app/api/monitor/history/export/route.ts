import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { historyCsv } from "@/lib/monitor/history";
import { exportJobHistory } from "@/lib/monitor/history.server";
import { monitorConnection, parseQuery } from "@/lib/monitor/route-helpers.server";
import { historyQuerySchema } from "@/lib/monitor/validation";

/** GET ?<the History tab's filters>: every matching job as a CSV download. */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const query = parseQuery(request, historyQuerySchema);
  if (query.error) return query.error;
  const resolved = await monitorConnection(query.data.cluster);
  if (resolved.error) return resolved.error;
  const rows = await exportJobHistory(resolved.connection.id, query.data);
  return new NextResponse(historyCsv(rows), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="ask-ci-jobs-${resolved.connection.name.replace(/[^A-Za-z0-9._-]/g, "_")}.csv"`,
      "cache-control": "no-store",
    },
  });
}
