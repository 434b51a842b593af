import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { getConnection } from "@/lib/connections/store.server";
import { idSchema } from "@/lib/validations/connection";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const id = idSchema.safeParse((await context.params).id);
  const connection = id.success ? await getConnection(id.data) : null;
  if (!connection) return NextResponse.json({ error: "Connection not found" }, { status: 404 });
  return NextResponse.json({ connection });
}
