import { probeResponse } from "@/lib/health/responses";

export const dynamic = "force-dynamic";

/** Liveness: the process serves requests. No database call, so a database outage never restarts pods. */
export function GET() {
  return probeResponse(true);
}
