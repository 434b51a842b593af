import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { watchPipeline } from "@/lib/gitlab/pipeline-watch.server";
import { trackViewer } from "@/lib/monitor/viewer-tracking";
import { SSE_HEARTBEAT, sseRetry } from "@/lib/sse";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;

/**
 * GET /api/pipelines/:gitlab/:id/stream: Server-Sent Events for an open pipeline page, for any
 * signed-in user (the page's readers). The stored view ("pipeline") at once and after every change,
 * and whether it is live ("status"); one watch per pipeline however many viewers
 * (lib/gitlab/pipeline-watch.ts). Nothing to resume: a reconnect gets the current view.
 */
export async function GET(request: Request, { params }: { params: Promise<{ gitlab: string; id: string }> }) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const { gitlab, id } = await params;
  const lease =
    /^\d{1,15}$/.test(id) && /^[a-z0-9]{1,64}$/i.test(gitlab) ? await watchPipeline(gitlab, Number(id)) : null;
  if (!lease) return NextResponse.json({ error: "No such pipeline" }, { status: 404 });
  const encoder = new TextEncoder();
  let cleanup = () => {};

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const heartbeat = setInterval(() => write(SSE_HEARTBEAT), HEARTBEAT_MS);
      let unsubscribe = () => {};
      let untrack = () => {};
      cleanup = () => {
        if (closed) return;
        closed = true;
        untrack();
        clearInterval(heartbeat);
        unsubscribe();
        lease.release();
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };
      write(sseRetry(2000));
      untrack = trackViewer("pipeline", write, () => cleanup());
      unsubscribe = lease.value.subscribe(write);
      request.signal.addEventListener("abort", () => cleanup());
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
