import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cookieJar } from "@/tests/mock-next-headers";
import { emptyDatabase, useFreshDatabase } from "@/tests/test-db";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

// The History tab's two routes as the browser calls them, with a session: filters, paging and
// totals over every match, the CSV download; 404/422 for an unknown cluster or a bad filter.

let db: typeof import("@/lib/db.server").db;
let historyRoute: typeof import("@/app/api/monitor/history/route");
let exportRoute: typeof import("@/app/api/monitor/history/export/route");
let cookie: string;

beforeAll(async () => {
  useFreshDatabase();
  db = (await import("@/lib/db.server")).db;
  historyRoute = await import("@/app/api/monitor/history/route");
  exportRoute = await import("@/app/api/monitor/history/export/route");
});

beforeEach(async () => {
  await emptyDatabase(db);
  const session = await import("@/lib/auth/session.server");
  const user = await db.user.create({ data: { username: "viewer", provider: "gitlab", subject: "v", role: "viewer" } });
  await session.startSession(user.id, "gitlab");
  cookie = `${session.SESSION_COOKIE}=${cookieJar.get(session.SESSION_COOKIE)}`;
  const prod = await db.connection.create({
    data: { name: "prod", server: "https://prod:6443", authType: "token", credentials: "{}" },
  });
  const other = await db.connection.create({
    data: { name: "other", server: "https://other:6443", authType: "token", credentials: "{}" },
  });
  // Three finished jobs on prod (one in a hostile project name), one on another cluster.
  const jobs = [
    { uid: "a", connectionId: prod.id, project: "group/app", phase: "Succeeded", day: "01", micros: 1_500_000 },
    { uid: "b", connectionId: prod.id, project: "group/app", phase: "Failed", day: "02", micros: 250_000 },
    { uid: "c", connectionId: prod.id, project: "=HYPERLINK(1)", phase: "Succeeded", day: "03", micros: 10_000 },
    { uid: "d", connectionId: other.id, project: "group/app", phase: "Succeeded", day: "02", micros: 9_000_000 },
  ];
  for (const job of jobs) {
    await db.jobRecord.create({
      data: {
        podUid: job.uid,
        connectionId: job.connectionId,
        namespace: "gitlab-runner",
        podName: `runner-x-project-1-concurrent-0-${job.uid}`,
        projectPath: job.project,
        phase: job.phase,
        createdAt: new Date(`2026-01-${job.day}T10:00:00Z`),
        finishedAt: new Date(`2026-01-${job.day}T10:10:00Z`),
        day: `2026-01-${job.day}`,
        billedSeconds: 600,
        vcpuMilli: 2000,
        memoryMiB: 4096,
        currency: "CNY",
        costMicros: job.micros,
      },
    });
  }
});

const get = (route: { GET: (request: Request) => Promise<Response> }, query: string) =>
  route.GET(new Request(`http://localhost/api/monitor/history?${query}`, { headers: { cookie } }));

describe("GET /api/monitor/history", () => {
  it("filters by project and status, pages newest first, and totals every match", async () => {
    const response = await get(historyRoute, "cluster=prod&project=group/app&pageSize=1");
    expect(response.status).toBe(200);
    const page = (await response.json()) as { rows: Array<{ podUid: string }>; total: number; totals: unknown };
    expect(page.rows.map((r) => r.podUid)).toEqual(["b"]);
    expect(page.total).toBe(2);
    expect(page.totals).toEqual([{ currency: "CNY", cost: "1.75", jobs: 2 }]);

    const second = (await (await get(historyRoute, "cluster=prod&project=group/app&pageSize=1&page=2")).json()) as {
      rows: Array<{ podUid: string }>;
    };
    expect(second.rows.map((r) => r.podUid)).toEqual(["a"]);

    const failed = (await (await get(historyRoute, "cluster=prod&status=Failed")).json()) as {
      rows: Array<{ podUid: string }>;
    };
    expect(failed.rows.map((r) => r.podUid)).toEqual(["b"]);
  });

  it("answers 404 for an unknown cluster and 422 naming a bad filter", async () => {
    expect((await get(historyRoute, "cluster=nope")).status).toBe(404);
    const bad = await get(historyRoute, "cluster=prod&status=Exploded&from=2026-02-01&to=2026-01-01");
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: "Invalid query", fields: { status: expect.any(String) } });
  });
});

describe("GET /api/monitor/history/export", () => {
  it("downloads every match as CSV, one cluster only, with formula-looking cells neutralised", async () => {
    const response = await get(exportRoute, "cluster=prod");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="ask-ci-jobs-prod.csv"');
    const [header, ...lines] = (await response.text()).trimEnd().split("\r\n");
    const columns = header.split(",");
    const cell = (line: string, name: string) => line.split(",")[columns.indexOf(name)];
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => cell(line, "pod").slice(-1))).toEqual(["c", "b", "a"]);
    expect(lines.map((line) => cell(line, "cost"))).toEqual(["0.01", "0.25", "1.5"]);
    expect(cell(lines[0], "project")).toBe("'=HYPERLINK(1)");
  });

  it("exports only what the filters select", async () => {
    const text = await (await get(exportRoute, "cluster=prod&from=2026-01-02&to=2026-01-02")).text();
    expect(text.trimEnd().split("\r\n")).toHaveLength(2);
    expect(text).toContain("runner-x-project-1-concurrent-0-b");
  });
});
