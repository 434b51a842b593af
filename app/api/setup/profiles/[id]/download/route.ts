import { NextResponse } from "next/server";
import { recordAudit } from "@/lib/audit/record.server";
import { authorizeRequest } from "@/lib/auth/authorize.server";
import { downloadFor } from "@/lib/wizard/download.server";

export const dynamic = "force-dynamic";

/**
 * GET ?format=yaml|helm[&secrets=include]. YAML has Secret values redacted unless the user
 * explicitly asked for them (operators and up, recorded in the audit log: viewers never see a
 * secret); the Helm values never contain the token.
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const query = new URL(request.url).searchParams;
  const withSecrets = query.get("secrets") === "include";
  const auth = await authorizeRequest(
    request,
    withSecrets ? "operator" : "viewer",
    withSecrets ? { action: "profile.download-secrets" } : undefined,
  );
  if (auth.error) return auth.error;
  const { id } = await context.params;
  const format = query.get("format") ?? "yaml";
  if (format !== "yaml" && format !== "helm")
    return NextResponse.json({ error: "format must be yaml or helm" }, { status: 400 });
  const file = await downloadFor(id, format, withSecrets);
  if (withSecrets) {
    await recordAudit({
      actor: auth.user,
      action: "profile.download-secrets",
      target: { type: "profile", id: id.slice(0, 64), name: file.ok ? file.filename : null },
      result: file.ok ? "ok" : "error",
      message: file.ok ? `${format} with secret values` : file.error,
    });
  }
  if (!file.ok) return NextResponse.json({ error: file.error, issues: file.issues }, { status: file.status });
  return new Response(file.body, {
    headers: {
      "Content-Type": "application/yaml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
