import { NextResponse } from "next/server";
import { gitlabLink } from "@/lib/gitlab/link.server";
import { nudgePipelineWatches } from "@/lib/gitlab/pipeline-watch.server";
import { receiveWebhook } from "@/lib/gitlab/webhook.server";

/**
 * GitLab's webhook deliveries (job and pipeline events). No session: GitLab authenticates with the
 * connection's secret in X-Gitlab-Token (proxy.ts lets this path through).
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[a-z0-9]{1,64}$/i.test(id))
    return NextResponse.json({ error: "X-Gitlab-Token does not match" }, { status: 401 });
  const outcome = await receiveWebhook(id, request.headers, () => request.text());
  if (outcome.status === 200 && outcome.body.event !== "ignored") {
    // Open pages of these pipelines on this replica read the store now (other replicas' pages within
    // PIPELINE_CHECK_MS); the sync pass runs soon instead of at the next poll (a hint).
    nudgePipelineWatches(id, outcome.pipelineIds);
    gitlabLink()?.wake(id);
  }
  return NextResponse.json(outcome.body, { status: outcome.status });
}
