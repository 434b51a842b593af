import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";

export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  return NextResponse.json({ username: auth.user.username });
}
