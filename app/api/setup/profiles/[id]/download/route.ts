import { NextResponse } from "next/server";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { downloadFor } from "@/lib/wizard/download.server";

export const dynamic = "force-dynamic";

/**
 * GET ?format=yaml|helm[&secrets=include]. YAML has Secret values redacted unless the user
 * explicitly asked for them; the Helm values never contain the token.
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const { id } = await context.params;
  const query = new URL(request.url).searchParams;
  const format = query.get("format") ?? "yaml";
  if (format !== "yaml" && format !== "helm")
    return NextResponse.json({ error: "format must be yaml or helm" }, { status: 400 });
  const file = await downloadFor(id, format, query.get("secrets") === "include");
  if (!file.ok) return NextResponse.json({ error: file.error, issues: file.issues }, { status: file.status });
  return new Response(file.body, {
    headers: {
      "Content-Type": "application/yaml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
