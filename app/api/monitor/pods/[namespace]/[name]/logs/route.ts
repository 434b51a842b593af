import { PassThrough, Readable } from "node:stream";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { streamPodLog } from "@/lib/monitor/pod-access.server";
import { kubeErrorResponse, monitorPodTarget } from "@/lib/monitor/route-helpers.server";
import { logQuerySchema } from "@/lib/monitor/validation";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ namespace: string; name: string }> };

/**
 * GET ?container=build&follow=&previous=&tailLines=&timestamps=&sinceSeconds=&download=: a container's log as plain text,
 * streamed as it grows when following; as a file download with download=true.
 */
export async function GET(request: Request, context: Context) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const target = await monitorPodTarget(request, context.params, logQuerySchema);
  if (target.error) return target.error;
  const { container, follow, previous, tailLines, timestamps, sinceSeconds, download } = target.query;

  const sink = new PassThrough();
  let abort: AbortController;
  try {
    abort = await streamPodLog(
      target.connection.id,
      target.pod.namespace,
      target.pod.name,
      { container, follow: follow && !download, previous, tailLines, timestamps, sinceSeconds },
      sink,
    );
  } catch (error) {
    return kubeErrorResponse(error);
  }
  request.signal.addEventListener("abort", () => {
    abort.abort();
    sink.end();
  });
  const filename = `${target.pod.name}-${container}${previous ? "-previous" : ""}.log`;
  return new Response(Readable.toWeb(sink) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...(download ? { "content-disposition": `attachment; filename="${filename}"` } : {}),
    },
  });
}
