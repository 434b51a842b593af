import { NextResponse } from "next/server";
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
  return NextResponse.json(outcome.body, { status: outcome.status });
}
