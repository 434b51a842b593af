import { metricsAllowed } from "@/lib/observability/metrics-auth";
import { metrics } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

/** Prometheus metrics; behind `Authorization: Bearer <ASK_CI_METRICS_TOKEN>` when that is set. */
export async function GET(request: Request) {
  if (!metricsAllowed(request.headers.get("authorization"), process.env.ASK_CI_METRICS_TOKEN || undefined)) {
    return new Response("Unauthorized\n", {
      status: 401,
      headers: { "content-type": "text/plain; charset=utf-8", "www-authenticate": 'Bearer realm="metrics"' },
    });
  }
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}
