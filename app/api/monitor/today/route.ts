import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { costToday } from "@/lib/monitor/history.server";
import { monitorConnection, parseQuery } from "@/lib/monitor/route-helpers.server";
import { streamQuerySchema } from "@/lib/monitor/validation";

/** GET ?cluster=: cost of the jobs recorded today (UTC), per currency. */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const query = parseQuery(request, streamQuerySchema.pick({ cluster: true }));
  if (query.error) return query.error;
  const resolved = await monitorConnection(query.data.cluster);
  if (resolved.error) return resolved.error;
  return NextResponse.json({ day: new Date().toISOString().slice(0, 10), totals: await costToday(resolved.connection.id) }, { headers: { "cache-control": "no-store" } });
}
