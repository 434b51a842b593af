import { NextResponse } from "next/server";
import { parseClusterQuery } from "@/lib/cost/cluster-query";
import { toCsv } from "@/lib/csv";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { getConnection } from "@/lib/connections/store.server";
import { historyByDayAndProject, historyCurrencies, periodDays } from "@/lib/job-history/aggregates.server";
import { fromMicros } from "@/lib/cost/money";

/** GET /api/cost/history-export?connection=…&days=…: cost per day and project as CSV. */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const { query, errors } = parseClusterQuery(Object.fromEntries(new URL(request.url).searchParams));
  if (errors.length > 0 || !query.connection) {
    return NextResponse.json(
      { error: "Invalid query", fields: errors.length > 0 ? errors : ["connection"] },
      { status: 422 },
    );
  }
  // A connection deleted with its history kept still exports that history.
  const connection = await getConnection(query.connection, { withArchived: true });
  if (!connection) return NextResponse.json({ error: "No such connection" }, { status: 404 });
  const period = periodDays(query.days);
  const currencies = await historyCurrencies({ connectionId: connection.id, ...period });
  const currency = query.currency && currencies.includes(query.currency) ? query.currency : (currencies[0] ?? "CNY");
  const rows = await historyByDayAndProject({ connectionId: connection.id, ...period, currency });
  const csv = toCsv([
    ["day", "project", "jobs", "billed_seconds", `cost_${currency}`],
    ...rows.map((row) => [
      row.day,
      row.projectPath ?? "",
      row.jobs,
      row.billedSeconds,
      fromMicros(row.costMicros).toFixed(6),
    ]),
  ]);
  const filename = `ask-ci-cost-${connection.name.replace(/[^\w.-]/g, "_")}-${period.fromDay}-${period.toDay}.csv`;
  return new NextResponse(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}
