import { beforeAll, describe, expect, it, vi } from "vitest";
import { cookieJar as jar } from "@/tests/mock-next-headers";
import { useFreshDatabase } from "@/tests/test-db";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

let calculatorExport: typeof import("@/app/api/cost/export/route");
let historyExport: typeof import("@/app/api/cost/history-export/route");
let cookie: string;
let connectionId: string;

beforeAll(async () => {
  useFreshDatabase();
  const { db } = await import("@/lib/db.server");
  const session = await import("@/lib/auth/session.server");
  calculatorExport = await import("@/app/api/cost/export/route");
  historyExport = await import("@/app/api/cost/history-export/route");
  const user = await db.user.create({ data: { username: "admin", subject: "admin", passwordHash: "x" } });
  await session.startSession(user.id);
  cookie = `${session.SESSION_COOKIE}=${encodeURIComponent(jar.get(session.SESSION_COOKIE)!)}`;
  const connection = await db.connection.create({
    data: { name: "demo cluster", server: "https://example.test", authType: "token", credentials: "{}" },
  });
  connectionId = connection.id;
  const today = new Date();
  const day = today.toISOString().slice(0, 10);
  await db.jobRecord.createMany({
    data: [
      { projectPath: "group/api", costMicros: 36_756, billedSeconds: 600 },
      { projectPath: "group/api", costMicros: 36_756, billedSeconds: 600 },
      { projectPath: 'odd,"name"', costMicros: 1_000_000, billedSeconds: 100 },
      { projectPath: '=HYPERLINK("http://evil.example","x")', costMicros: 2_000_000, billedSeconds: 200 },
      { projectPath: "+1+1", costMicros: 3_000_000, billedSeconds: 300 },
    ].map((row, i) => ({
      ...row,
      podUid: `uid-${i}`,
      connectionId,
      namespace: "gitlab-runner",
      podName: `pod-${i}`,
      phase: "Succeeded",
      createdAt: today,
      finishedAt: today,
      day,
      vcpuMilli: 1000,
      memoryMiB: 2048,
      currency: "CNY",
    })),
  });
});

function get(path: string, locale?: string): Request {
  return new Request(`http://localhost${path}`, {
    headers: { cookie: locale ? `${cookie}; NEXT_LOCALE=${locale}` : cookie },
  });
}

describe("GET /api/cost/export", () => {
  it("answers the seed example as CSV", async () => {
    const response = await calculatorExport.GET(get("/api/cost/export?vcpu=1&mem=2&minutes=10&ecs=139&jobs=80"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toContain("attachment");
    expect(await response.text()).toContain("break_even_jobs_per_day,126.0565");
  });

  it("answers bad input with 422 and the fields", async () => {
    const response = await calculatorExport.GET(get("/api/cost/export?minutes=-1&vcpu=abc"));
    expect(response.status).toBe(422);
    expect(Object.keys((await response.json()).fields).sort()).toEqual(["minutes", "vcpu"]);
  });

  it("words the field messages in the request's language", async () => {
    const english = await (await calculatorExport.GET(get("/api/cost/export?minutes=-1", "en"))).json();
    const chinese = await (await calculatorExport.GET(get("/api/cost/export?minutes=-1", "zh-CN"))).json();
    const message = (body: { fields: Record<string, unknown> }) => JSON.stringify(body.fields.minutes);
    expect(message(english)).toMatch(/[a-z]/);
    expect(message(chinese)).toMatch(/[\u4e00-\u9fff]/);
    expect(message(chinese)).not.toEqual(message(english));
  });
});

describe("GET /api/cost/history-export", () => {
  it("answers cost per day and project as CSV, fields quoted", async () => {
    const response = await historyExport.GET(get(`/api/cost/history-export?connection=${connectionId}&days=7`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain("ask-ci-cost-demo_cluster-");
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("day,project,jobs,billed_seconds,cost_CNY");
    expect(lines.slice(1).map((line) => line.split(",").slice(1).join(","))).toEqual([
      "'+1+1,1,300,3.000000",
      `"'=HYPERLINK(""http://evil.example"",""x"")",1,200,2.000000`,
      "group/api,2,1200,0.073512",
      '"odd,""name""",1,100,1.000000',
    ]);
  });

  it.each([
    ["/api/cost/history-export?days=7", 422],
    [`/api/cost/history-export?connection=${"x".repeat(5)}&days=abc`, 422],
    ["/api/cost/history-export?connection=nosuchconnection", 404],
  ])("%s → %i", async (path, status) => {
    expect((await historyExport.GET(get(path))).status).toBe(status);
  });
});
