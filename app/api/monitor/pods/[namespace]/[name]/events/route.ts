import { trackViewer } from "@/lib/monitor/viewer-tracking";
import type { KubeConfig } from "@kubernetes/client-node";
import type { IEvent } from "kubernetes-models/v1/Event";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { kubeConfigForConnection } from "@/lib/connections/kube-client.server";
import { podEventsSource } from "@/lib/monitor/pod-access.server";
import { sortEvents, toEventDto } from "@/lib/monitor/pod-detail";
import { kubeErrorResponse, monitorPodTarget } from "@/lib/monitor/route-helpers.server";
import { SSE_HEARTBEAT, sseEvent } from "@/lib/sse";
import { streamQuerySchema } from "@/lib/monitor/validation";
import { WatchCache } from "@/lib/monitor/watch-cache";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ namespace: string; name: string }> };

/**
 * GET: the pod's events as Server-Sent Events, the whole (short) list again on every change.
 * One watch per open detail panel: it exists only while someone looks at that pod.
 */
export async function GET(request: Request, context: Context) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const target = await monitorPodTarget(request, context.params, streamQuerySchema.pick({ cluster: true }));
  if (target.error) return target.error;
  let config: KubeConfig;
  try {
    config = await kubeConfigForConnection(target.connection.id);
  } catch (error) {
    return kubeErrorResponse(error);
  }

  const cache = new WatchCache<IEvent>(podEventsSource(config, target.pod.namespace, target.pod.name));
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let pending: ReturnType<typeof setTimeout> | null = null;
      const write = (text: string) => !closed && controller.enqueue(encoder.encode(text));
      const send = () => {
        pending = null;
        const events = sortEvents(cache.list().map(toEventDto));
        write(sseEvent({ events, status: cache.status }, { event: "events" }));
      };
      const schedule = () => (pending ??= setTimeout(send, 100));
      const unsubscribe = cache.subscribe(schedule);
      const heartbeat = setInterval(() => write(SSE_HEARTBEAT), 15_000);
      let untrack = () => {};
      cleanup = () => {
        if (closed) return;
        untrack();
        closed = true;
        if (pending) clearTimeout(pending);
        clearInterval(heartbeat);
        unsubscribe();
        cache.stop();
        try {
          controller.close();
        } catch {
          // The client already went away.
        }
      };
      untrack = trackViewer("pod-events", write, () => cleanup());
      request.signal.addEventListener("abort", () => cleanup());
      cache.start();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform" },
  });
}
