import { NextResponse } from "next/server";
import { z } from "zod";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { startSetupRun } from "@/lib/wizard/run-request.server";

export const dynamic = "force-dynamic";

const bodySchema = z.object({
  profileId: z.string().min(1).max(64),
  mode: z.enum(["dry-run", "apply", "uninstall"]),
  /** Uninstall only: the instance name, typed by the user as confirmation. */
  confirm: z.string().max(100).optional(),
});

/**
 * POST { profileId, mode } → text/event-stream of ApplyEvent JSON, one `data:` line per event,
 * ending with a `done` event. Problems found before anything is applied are a 4xx JSON instead.
 */
export async function POST(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const body = bodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success)
    return NextResponse.json({ error: "Expected { profileId, mode: dry-run | apply | uninstall }" }, { status: 400 });
  // Not tied to request.signal: a closed tab must not leave an apply half done and unrecorded.
  const started = await startSetupRun({ ...body.data, username: auth.user.username });
  if (!started.ok)
    return NextResponse.json({ error: started.error, issues: started.issues }, { status: started.status });
  return new Response(started.stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
