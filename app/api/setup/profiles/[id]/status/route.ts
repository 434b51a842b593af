import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { runnerStatus } from "@/lib/wizard/runner-status.server";

export const dynamic = "force-dynamic";

/** GET → the profile's runner Deployment and pods as they are now in its cluster. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const { id } = await context.params;
  const status = await runnerStatus(id);
  if (!status) return NextResponse.json({ error: "This profile no longer exists" }, { status: 404 });
  return NextResponse.json(status, { headers: { "Cache-Control": "no-store" } });
}
