import { authenticateRequest } from "@/lib/auth/guard.server";
import { monitorTarget } from "@/lib/monitor/route-helpers.server";
import { encodeSseFrameBytes } from "@/lib/monitor/sse";
import { trackViewer } from "@/lib/monitor/viewer-tracking";
import { SSE_HEARTBEAT, sseRetry } from "@/lib/sse";
import { podStreams } from "@/lib/monitor/streams.server";
import { streamQuerySchema } from "@/lib/monitor/validation";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;
// A viewer this far behind is cut off; EventSource reconnects and gets a fresh snapshot.
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * GET /api/monitor/stream?cluster=&namespace=: Server-Sent Events with a snapshot of the job
 * pods, then coalesced change batches and connection status. Resumes from Last-Event-ID.
 */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const target = await monitorTarget(request, streamQuerySchema);
  if (target.error) return target.error;

  const lease = await podStreams().acquire({ connectionId: target.connection.id, namespace: target.query.namespace });
  const lastEventId = request.headers.get("last-event-id");
  const encoder = new TextEncoder();
  let cleanup = () => {};

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let closed = false;
        // Frames come encoded once for all viewers (shared bytes); heartbeats and notices per viewer.
        const write = (chunk: string | Uint8Array) => {
          if (closed) return;
          if ((controller.desiredSize ?? 0) < -MAX_BUFFERED_BYTES) return cleanup();
          controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
        };
        const heartbeat = setInterval(() => write(SSE_HEARTBEAT), HEARTBEAT_MS);
        let disconnect = () => {};
        let untrack = () => {};
        cleanup = () => {
          if (closed) return;
          untrack();
          closed = true;
          clearInterval(heartbeat);
          disconnect();
          lease.release();
          try {
            controller.close();
          } catch {
            // Already closed by the client going away.
          }
        };
        write(sseRetry(2000));
        untrack = trackViewer("monitor", write, () => cleanup());
        disconnect = lease.value.connect(lastEventId, (frame) => write(encodeSseFrameBytes(frame)));
        request.signal.addEventListener("abort", () => cleanup());
      },
      cancel() {
        cleanup();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
