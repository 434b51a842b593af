import { NextResponse } from "next/server";
import { gitlabLink } from "@/lib/gitlab/link.server";
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
  // A hint that GitLab has news for this connection: the sync pass runs soon instead of at the next poll.
  if (outcome.status === 200 && outcome.body.event !== "ignored") gitlabLink()?.wake(id);
  return NextResponse.json(outcome.body, { status: outcome.status });
}
