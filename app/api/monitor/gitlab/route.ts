import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { monitorGitlabFacts } from "@/lib/gitlab/monitor-facts.server";
import { monitorTarget } from "@/lib/monitor/route-helpers.server";
import { monitorGitlabQuerySchema } from "@/lib/monitor/validation";

/**
 * GET ?cluster=&namespace=&jobs= or &after=: our runners here as GitLab sees them, and one page of the
 * stored GitLab jobs the monitor's orphan rules need (lib/gitlab/monitor-facts-pages.ts). Nothing
 * secret: ids, statuses, times.
 */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const target = await monitorTarget(request, monitorGitlabQuerySchema);
  if (target.error) return target.error;
  const { namespace, jobs, after } = target.query;
  const ask = jobs.length > 0 ? { jobIds: jobs } : { activeAfter: after };
  return NextResponse.json(await monitorGitlabFacts(target.connection.id, namespace, ask), {
    headers: { "cache-control": "no-store" },
  });
}
