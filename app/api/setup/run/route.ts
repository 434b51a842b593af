import { NextResponse } from "next/server";
import { z } from "zod";
import type { ApplyEvent } from "@/lib/apply/types";
import { recordAudit } from "@/lib/audit/record.server";
import { authorizeRequest } from "@/lib/auth/authorize.server";
import { clientAddress } from "@/lib/auth/client-address.server";
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
  const auth = await authorizeRequest(request, "operator", { action: "runner.apply" });
  if (auth.error) return auth.error;
  const body = bodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success)
    return NextResponse.json({ error: "Expected { profileId, mode: dry-run | apply | uninstall }" }, { status: 400 });
  const action = `runner.${body.data.mode}` as const;
  // The run finishes after this response has begun: the address is read now, from the request.
  const entry = { actor: auth.user, action, address: clientAddress(request.headers) };
  // Not tied to request.signal: a closed tab must not leave an apply half done and unrecorded.
  const started = await startSetupRun({
    ...body.data,
    username: auth.user.username,
    onFinished: (done, profile) =>
      recordAudit({
        ...entry,
        target: { type: "profile", id: profile.id, name: profile.name },
        result: done.ok ? "ok" : "error",
        message: runSummary(done),
      }),
  });
  if (!started.ok) {
    await recordAudit({
      ...entry,
      target: { type: "profile", id: body.data.profileId },
      result: "error",
      message: started.error,
    });
    return NextResponse.json({ error: started.error, issues: started.issues }, { status: started.status });
  }
  return new Response(started.stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}

/** "9 objects: 3 created, 6 unchanged" or the first failure's message. */
function runSummary(done: Extract<ApplyEvent, { type: "done" }>): string {
  const failed = done.results.find((result) => result.outcome === "failed");
  if (!done.ok)
    return failed ? `${failed.ref.kind} ${failed.ref.name}: ${failed.message ?? "failed"}` : (done.message ?? "failed");
  const counts = new Map<string, number>();
  for (const result of done.results) counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1);
  return `${done.results.length} objects: ${[...counts].map(([outcome, n]) => `${n} ${outcome}`).join(", ")}`;
}
