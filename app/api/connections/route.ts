import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { listConnections } from "@/lib/connections/store.server";

/** The connections as DTOs (never credentials). */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  return NextResponse.json({ connections: await listConnections() });
}
