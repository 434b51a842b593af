import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { queryJobHistory } from "@/lib/monitor/history.server";
import { monitorConnection, parseQuery } from "@/lib/monitor/route-helpers.server";
import { historyQuerySchema } from "@/lib/monitor/validation";

/** GET ?cluster=&project=&status=&from=&to=&page=&pageSize=: finished jobs, newest first, with totals. */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const query = parseQuery(request, historyQuerySchema);
  if (query.error) return query.error;
  const resolved = await monitorConnection(query.data.cluster);
  if (resolved.error) return resolved.error;
  return NextResponse.json(await queryJobHistory(resolved.connection.id, query.data), { headers: { "cache-control": "no-store" } });
}
