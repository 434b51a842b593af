import { readiness } from "@/lib/health/readiness.server";
import { probeResponse } from "@/lib/health/responses";

export const dynamic = "force-dynamic";

/** Readiness: database reachable and migrated, not shutting down; 503 otherwise. */
export async function GET() {
  return probeResponse((await readiness()).ready);
}
