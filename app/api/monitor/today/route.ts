import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { costToday } from "@/lib/job-history/list.server";
import { monitorTarget } from "@/lib/monitor/route-helpers.server";
import { streamQuerySchema } from "@/lib/monitor/validation";

/** GET ?cluster=: cost of the jobs recorded today (UTC), per currency. */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const target = await monitorTarget(request, streamQuerySchema.pick({ cluster: true }));
  if (target.error) return target.error;
  return NextResponse.json(
    { day: new Date().toISOString().slice(0, 10), totals: await costToday(target.connection.id) },
    { headers: { "cache-control": "no-store" } },
  );
}
