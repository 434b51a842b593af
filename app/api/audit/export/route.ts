import { NextResponse } from "next/server";
import { auditCsv } from "@/lib/audit/csv";
import { AUDIT_EXPORT_MAX_ROWS, auditFilterSchema } from "@/lib/audit/filters";
import { auditEventsForExport } from "@/lib/audit/log.server";
import { authorizeRequest } from "@/lib/auth/authorize.server";

export const dynamic = "force-dynamic";

/** GET ?user&action&result&from&to: the matching audit entries as CSV, newest first (admins). */
export async function GET(request: Request) {
  const auth = await authorizeRequest(request, "admin");
  if (auth.error) return auth.error;
  const parsed = auditFilterSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message]));
    return NextResponse.json({ error: "Invalid filter", fields }, { status: 422 });
  }
  const batches = auditEventsForExport(parsed.data, AUDIT_EXPORT_MAX_ROWS);
  const encoder = new TextEncoder();
  let first = true;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await batches.next();
      if (next.done) {
        if (first) controller.enqueue(encoder.encode(auditCsv([], true)));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(auditCsv(next.value, first)));
      first = false;
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="ask-ci-audit-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
