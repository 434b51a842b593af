import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { refreshHealth } from "@/lib/connections/service.server";
import { idSchema } from "@/lib/validations/connection";

/** Runs the server-side health check now, records it, and answers the updated DTO. */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const id = idSchema.safeParse((await context.params).id);
  const connection = id.success ? await refreshHealth(id.data) : null;
  if (!connection) return NextResponse.json({ error: "Connection not found" }, { status: 404 });
  return NextResponse.json({ connection });
}
