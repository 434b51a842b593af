import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { emptyDatabase, useFreshDatabase } from "@/tests/test-db";
import type { Pod } from "@/lib/kube/pod";
import { jobPod } from "@/lib/monitor/testing/pods";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));

let db: typeof import("@/lib/db.server").db;
let evaluate: typeof import("./evaluate.server");
let store: typeof import("./store.server");

const received: unknown[] = [];
let hookUrl: string;
const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    response.writeHead(200).end("ok");
  });
});

beforeAll(async () => {
  useFreshDatabase();
  db = (await import("@/lib/db.server")).db;
  evaluate = await import("./evaluate.server");
  store = await import("./store.server");
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=t0ps3cret`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const now = new Date("2026-12-06T12:00:00Z");
const pendingPod: Pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    uid: "p1",
    name: "runner-x-project-1-concurrent-0",
    namespace: "ci",
    creationTimestamp: "2026-12-06T11:30:00Z",
    labels: { "job.runner.gitlab.com/pod": "runner-x-project-1-concurrent-0" },
  },
  spec: { containers: [{ name: "build", image: "alpine", resources: { requests: { cpu: "1", memory: "2Gi" } } }] },
  status: { phase: "Pending" },
};
const fast = { timeoutMs: 2_000, attempts: 1, backoffMs: 10 };
let connectionId: string;

async function recordJob(podUid: string, costMicros: number, day = "2026-12-06", projectPath = "group/app") {
  await db.jobRecord.create({
    data: {
      podUid,
      connectionId,
      namespace: "ci",
      podName: `pod-${podUid}`,
      projectPath,
      phase: "Succeeded",
      createdAt: new Date(`${day}T10:00:00Z`),
      finishedAt: new Date(`${day}T10:10:00Z`),
      day,
      billedSeconds: 600,
      vcpuMilli: 1000,
      memoryMiB: 2048,
      currency: "CNY",
      costMicros,
    },
  });
}

beforeEach(async () => {
  await emptyDatabase(db);
  received.length = 0;
  connectionId = (
    await db.connection.create({ data: { name: "demo", server: "https://x", authType: "token", credentials: "{}" } })
  ).id;
  // No cluster behind this connection: only the rules that read the database.
  await store.saveAlertRules({
    budgets: true,
    stuckPods: true,
    stuckMinutes: 15,
    runnersDown: false,
    runnerDownMinutes: 5,
  });
  await store.createChannel({ name: "receiver", format: "json", url: hookUrl, secret: "" });
});

describe("budgets", () => {
  it("spend counts the window's jobs of the connection or project in the budget's currency", async () => {
    await store.createBudget({ connectionId, projectPath: "", period: "day", amount: "1" });
    await store.createBudget({ connectionId, projectPath: "group/app", period: "month", amount: "5" });
    await recordJob("a", 300_000);
    await recordJob("b", 200_000, "2026-12-06", "group/other");
    await recordJob("c", 1_000_000, "2026-12-01");
    await recordJob("d", 9_000_000, "2026-11-30");
    const views = await store.budgetsWithSpend(now);
    expect(views.map((view) => [view.projectPath, view.period, view.currency, view.spentMicros])).toEqual([
      ["", "day", "CNY", 500_000],
      ["group/app", "month", "CNY", 1_300_000],
    ]);
  });

  it("refuses a second budget for the same connection, project and period", async () => {
    expect((await store.createBudget({ connectionId, projectPath: "", period: "day", amount: "1" })).ok).toBe(true);
    expect(await store.createBudget({ connectionId, projectPath: "", period: "day", amount: "2" })).toEqual({
      ok: false,
      error: "duplicate",
    });
  });
});

describe("evaluateAlerts", () => {
  it("a crossed budget sends one alert, then stays quiet while it stays crossed", async () => {
    await store.createBudget({ connectionId, projectPath: "", period: "day", amount: "0.5" });
    await recordJob("a", 400_000);
    expect((await evaluate.evaluateAlerts(now, fast)).fired).toEqual([]);
    await recordJob("b", 200_000);
    const first = await evaluate.evaluateAlerts(now, fast);
    expect(first.fired).toHaveLength(1);
    await recordJob("c", 200_000);
    expect((await evaluate.evaluateAlerts(now, fast)).fired).toEqual([]);
    expect((await evaluate.evaluateAlerts(now, fast)).fired).toEqual([]);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ source: "ask-ci", kind: "budget", title: "Budget crossed: demo, daily" });
    const history = await store.recentDeliveries();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ ok: true, httpStatus: 200, channelName: "receiver", kind: "budget" });
  });

  it("the next day's crossing is a new alert, and yesterday's condition clears", async () => {
    await store.createBudget({ connectionId, projectPath: "", period: "day", amount: "0.1" });
    await recordJob("a", 200_000, "2026-12-06");
    await evaluate.evaluateAlerts(now, fast);
    await recordJob("b", 200_000, "2026-12-07");
    const next = await evaluate.evaluateAlerts(new Date("2026-12-07T09:00:00Z"), fast);
    expect(next.fired).toHaveLength(1);
    expect(next.cleared).toHaveLength(1);
    expect(received).toHaveLength(2);
  });

  it("a stuck Pending job pod alerts once it has billed longer than the threshold", async () => {
    let live: Pod[] = [pendingPod];
    const sources = { liveJobPods: (id: string) => (id === connectionId ? live : null) };
    expect((await evaluate.evaluateAlerts(new Date("2026-12-06T11:40:00Z"), fast, sources)).fired).toEqual([]);
    expect((await evaluate.evaluateAlerts(now, fast, sources)).fired).toEqual([`stuck-pod:${connectionId}:p1`]);
    expect(received[0]).toMatchObject({
      kind: "stuck-pod",
      title: "Job pod stuck: ci/runner-x-project-1-concurrent-0",
    });
    // It goes away (recorded): the condition clears.
    live = [];
    expect((await evaluate.evaluateAlerts(now, fast, sources)).cleared).toEqual([`stuck-pod:${connectionId}:p1`]);
  });

  it("pods that are not known to be current (a watch listing after a restart, or reconnecting) neither fire nor clear", async () => {
    // The recorder's last copy, from before the dashboard went down, says Pending for an hour: the
    // pod may well have started and finished since. Nothing fires on it.
    await db.openJobPod.create({
      data: { podUid: "p1", connectionId, namespace: "ci", pod: JSON.stringify(pendingPod), lastSeenAt: now },
    });
    let live: Pod[] | null = null;
    const sources = { liveJobPods: () => live };
    expect((await evaluate.evaluateAlerts(now, fast, sources)).fired).toEqual([]);
    // Live again, and it really is stuck: one alert.
    live = [pendingPod];
    expect((await evaluate.evaluateAlerts(now, fast, sources)).fired).toEqual([`stuck-pod:${connectionId}:p1`]);
    // The cluster goes away: silence is not recovery, the alert stays.
    live = null;
    expect(await evaluate.evaluateAlerts(now, fast, sources)).toEqual({ fired: [], cleared: [] });
    expect(await db.alertState.count()).toBe(1);
    expect(received).toHaveLength(1);
  });

  it("a budget counts the jobs still running at the live monitor's price, so it fires before they end", async () => {
    await store.createBudget({ connectionId, projectPath: "group/app", period: "day", amount: "0.1" });
    await recordJob("a", 60_000);
    // A 2 vCPU / 4 GiB ECI job of group/app running for 10 minutes: 0.073512 CNY so far (by hand:
    // (2 × 0.000049 + 4 × 0.00000613) × 600), and one of another project that this budget ignores.
    const running = jobPod("r1", "1", "Running", {
      created: "2026-12-06T11:49:55Z",
      started: "2026-12-06T11:50:00Z",
    });
    const otherProject = jobPod("r2", "1", "Running", { started: "2026-12-06T11:00:00Z" });
    otherProject.metadata = {
      ...otherProject.metadata,
      annotations: {
        ...otherProject.metadata!.annotations,
        "job.runner.gitlab.com/url": "https://gitlab.example.com/group/other/-/jobs/43",
      },
    };
    const sources = { liveJobPods: () => [running, otherProject] };
    const [view] = await store.budgetsWithSpend(now, await store.liveRunningJobCosts(now, sources.liveJobPods));
    expect(view).toMatchObject({ spentMicros: 133_512, runningMicros: 73_512, runningJobs: 1 });
    expect((await evaluate.evaluateAlerts(now, fast, sources)).fired).toHaveLength(1);
    expect(received[0]).toMatchObject({ kind: "budget", title: "Budget crossed: demo / group/app, daily" });
    expect((received[0] as { message: string }).message).toContain("Includes ¥0.07 so far of 1 job still running.");

    // Without the running job the recorded one alone (0.06) is under the amount: nothing would fire.
    await db.alertState.deleteMany({});
    expect((await evaluate.evaluateAlerts(now, fast, { liveJobPods: () => null })).fired).toEqual([]);
  });

  it("a running pod already recorded counts once", async () => {
    await store.createBudget({ connectionId, projectPath: "", period: "day", amount: "1" });
    const pod = jobPod("r1", "1", "Running", { started: "2026-12-06T11:50:00Z" });
    await recordJob("r1", 80_000);
    const [view] = await store.budgetsWithSpend(now, await store.liveRunningJobCosts(now, () => [pod]));
    expect(view).toMatchObject({ spentMicros: 80_000, runningMicros: 0, runningJobs: 0 });
  });

  it("with no channel enabled, the alert is still in the history, marked undelivered", async () => {
    await db.alertChannel.updateMany({ data: { enabled: false } });
    await store.createBudget({ connectionId, projectPath: "", period: "day", amount: "0.1" });
    await recordJob("a", 200_000);
    await evaluate.evaluateAlerts(now, fast);
    expect(received).toHaveLength(0);
    expect(await store.recentDeliveries()).toMatchObject([{ ok: false, error: "no channel enabled", channelName: "" }]);
  });

  it("disabling a rule clears its conditions", async () => {
    await store.createBudget({ connectionId, projectPath: "", period: "day", amount: "0.1" });
    await recordJob("a", 200_000);
    await evaluate.evaluateAlerts(now, fast);
    await store.saveAlertRules({ ...(await store.loadAlertRules()), budgets: false });
    expect((await evaluate.evaluateAlerts(now, fast)).cleared).toHaveLength(1);
  });
});

describe("channels", () => {
  it("the URL and the secret are stored encrypted and never listed", async () => {
    await store.createChannel({
      name: "ding",
      format: "dingtalk",
      url: "https://oapi.dingtalk.com/robot/send?access_token=tok123",
      secret: "SECabc",
    });
    const row = await db.alertChannel.findUnique({ where: { name: "ding" } });
    expect(row!.secrets).not.toContain("tok123");
    expect(row!.secrets).not.toContain("SECabc");
    const listed = JSON.stringify(await store.listChannels());
    expect(listed).not.toContain("tok123");
    expect(listed).not.toContain("SECabc");
    expect(await store.listChannels()).toContainEqual({
      id: row!.id,
      name: "ding",
      format: "dingtalk",
      urlHint: "https://oapi.dingtalk.com/…",
      signed: true,
      enabled: true,
    });
  });

  it("send test delivers one test message and records it", async () => {
    const [channel] = await store.listChannels();
    const result = await evaluate.sendTestAlert(channel.id, "admin");
    expect(result).toMatchObject({ ok: true, httpStatus: 200 });
    expect(received).toMatchObject([{ kind: "test", title: "Test alert from ask-ci (sent by admin)" }]);
    expect(await store.recentDeliveries()).toMatchObject([{ kind: "test", ok: true }]);
    expect(await evaluate.sendTestAlert("missing", "admin")).toBeNull();
  });
});
