import { NextResponse } from "next/server";
import { authorizeRequest } from "@/lib/auth/authorize.server";
import { refreshHealth } from "@/lib/connections/service.server";
import { idSchema } from "@/lib/validations/connection";

/** Runs the server-side health check now, records it, and answers the updated DTO. */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  // A probe with the stored credentials: operators and up (it records health, changes nothing else).
  const auth = await authorizeRequest(request, "operator");
  if (auth.error) return auth.error;
  const id = idSchema.safeParse((await context.params).id);
  const connection = id.success ? await refreshHealth(id.data) : null;
  if (!connection) return NextResponse.json({ error: "Connection not found" }, { status: 404 });
  return NextResponse.json({ connection });
}
