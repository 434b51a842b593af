import http from "node:http";
import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoGitlab } from "@ask-ci/demo-gitlab";
import { addDemoGitlabConnection, startQuietDemoGitlab } from "@/tests/demo-gitlab";
import { useFreshDatabase } from "@/tests/test-db";

/**
 * Live status from GitLab's webhooks: the link registers a job + pipeline hook on the project our
 * runner works for (demo GitLab), GitLab delivers each status change to our receiver, and the stored
 * job follows without a poll. A delivery without the connection's secret changes nothing.
 */

let gitlab: DemoGitlab;
let receiver: http.Server;
let db: typeof import("@/lib/db.server").db;
let webhook: typeof import("@/lib/gitlab/webhook.server");
let gitlabConnectionId: string;
let runnerToken: string;
const deliveries: number[] = [];

async function runnerCall(path: string, method: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gitlab.url}/api/v4${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json().catch(() => null) };
}

beforeAll(async () => {
  useFreshDatabase();
  // Our receiver: the route handler's logic behind a plain HTTP server, where ASK_CI_PUBLIC_URL points.
  receiver = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", async () => {
      const id = req.url!.split("/").pop()!;
      const headers = new Headers(Object.entries(req.headers).map(([k, v]): [string, string] => [k, String(v)]));
      const outcome = await webhook.receiveWebhook(id, headers, async () => raw);
      deliveries.push(outcome.status);
      res.writeHead(outcome.status, { "content-type": "application/json" });
      res.end(JSON.stringify(outcome.body));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  process.env.ASK_CI_PUBLIC_URL = `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}`;

  gitlab = await startQuietDemoGitlab();
  db = (await import("@/lib/db.server")).db;
  webhook = await import("@/lib/gitlab/webhook.server");
  const service = await import("@/lib/gitlab/service.server");
  gitlabConnectionId = await addDemoGitlabConnection(gitlab);
  const stored = await service.storedClient(gitlabConnectionId);
  if (!stored.ok) throw new Error("no client");
  const runner = await stored.value.client.createUserRunner({
    runnerType: "instance_type",
    description: "ask-ci webhook test",
    tagList: [],
    runUntagged: true,
    locked: false,
    paused: false,
  });
  runnerToken = runner.token;
  await db.runnerProfile.create({
    data: { name: "p", settings: "{}", gitlabConnectionId, gitlabRunnerId: runner.id },
  });
});

afterAll(async () => {
  await gitlab?.stop();
  receiver?.close();
});

const storedJob = (jobId: number) =>
  db.gitlabJob.findUnique({ where: { gitlabConnectionId_jobId: { gitlabConnectionId, jobId } } });

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("GitLab webhooks", () => {
  it("registers hooks where the token may, and follows a job's status from deliveries alone", async () => {
    const stored = await (await import("@/lib/gitlab/service.server")).storedClient(gitlabConnectionId);
    if (!stored.ok) throw new Error("no client");
    const pipeline = await stored.value.client.createPipeline(1, "main");

    // The runner takes the first job, as gitlab-runner does.
    const taken = await runnerCall("/jobs/request", "POST", { token: runnerToken, info: { name: "gitlab-runner" } });
    expect(taken.status).toBe(201);
    const job = taken.body as { id: number; token: string };

    const { syncGitlabConnection } = await import("@/lib/gitlab/sync.server");
    await syncGitlabConnection(gitlabConnectionId);
    expect((await storedJob(job.id))?.status).toBe("running");

    const { ensureWebhooks } = await import("@/lib/gitlab/link.server");
    await ensureWebhooks(gitlabConnectionId, true);
    const project = await db.gitlabProject.findUniqueOrThrow({
      where: { gitlabConnectionId_projectId: { gitlabConnectionId, projectId: 1 } },
    });
    expect(project.hookId).not.toBeNull();
    expect(project.hookProblem).toBeNull();
    expect(await ensureWebhooks(gitlabConnectionId, true)).toBe(true);

    // The pod records the monitor wrote: this job's, and one of another job of this GitLab.
    const cluster = await db.connection.create({
      data: { name: "c", server: "https://127.0.0.1:6443", authType: "token", credentials: "{}" },
    });
    const record = (jobId: number) =>
      db.jobRecord.create({
        data: {
          podUid: `uid-${jobId}`,
          connectionId: cluster.id,
          namespace: "gitlab-runner",
          podName: `runner-x-project-1-concurrent-0-${jobId}`,
          projectId: "1",
          jobId: String(jobId),
          jobUrl: `${gitlab.url}/eci/java-demo/-/jobs/${jobId}`,
          phase: "Succeeded",
          createdAt: new Date(),
          finishedAt: new Date(),
          day: "2026-12-06",
          billedSeconds: 60,
          vcpuMilli: 1000,
          memoryMiB: 2048,
          currency: "CNY",
          costMicros: 100,
        },
      });
    const ownRecord = await record(job.id);
    const otherRecord = await record(job.id + 1000);

    const finished = await runnerCall(
      `/jobs/${job.id}`,
      "PUT",
      { token: job.token, state: "success", exit_code: 0 },
      { "JOB-TOKEN": job.token },
    );
    expect(finished.status).toBe(200);
    const after = await eventually(
      () => storedJob(job.id),
      (row) => row?.status === "success",
    );
    expect(after).toMatchObject({ status: "success", pipelineId: pipeline.id, stage: "package" });
    // A delivery joins the records of the jobs it carries only; the sync pass joins the rest.
    const linkOf = async (id: string) =>
      (await db.jobRecord.findUniqueOrThrow({ where: { id }, select: { gitlabJobId: true } })).gitlabJobId;
    expect(
      await eventually(
        () => linkOf(ownRecord.id),
        (linked) => linked === job.id,
      ),
    ).toBe(job.id);
    expect(await linkOf(otherRecord.id)).toBeNull();
    await (await import("@/lib/gitlab/sync.server")).linkJobRecords(gitlabConnectionId);
    expect(await linkOf(otherRecord.id)).toBe(job.id + 1000);
    expect(deliveries.filter((s) => s === 200).length).toBeGreaterThan(0);
    const pipelineRow = await eventually(
      () =>
        db.gitlabPipeline.findUnique({
          where: { gitlabConnectionId_pipelineId: { gitlabConnectionId, pipelineId: pipeline.id } },
        }),
      (row) => row !== null,
    );
    expect(pipelineRow).toMatchObject({ projectId: 1, ref: "main", projectPath: "eci/java-demo" });
  });

  it("refuses a delivery without the secret, an unknown connection alike, and oversized or malformed bodies", async () => {
    const headers = (token: string | null, extra: Record<string, string> = {}) =>
      new Headers({ "x-gitlab-event": "Job Hook", ...(token ? { "x-gitlab-token": token } : {}), ...extra });
    const body = async () => JSON.stringify({ object_kind: "build" });
    expect((await webhook.receiveWebhook(gitlabConnectionId, headers(null), body)).status).toBe(401);
    expect((await webhook.receiveWebhook(gitlabConnectionId, headers("wrong"), body)).status).toBe(401);
    expect((await webhook.receiveWebhook("unknown", headers("wrong"), body)).status).toBe(401);
    const { decryptJson } = await import("@/lib/crypto/encryption.server");
    const row = await db.gitlabConnection.findUniqueOrThrow({ where: { id: gitlabConnectionId } });
    const secret = decryptJson<{ webhookSecret: string }>(row.credentials).webhookSecret;
    expect((await webhook.receiveWebhook(gitlabConnectionId, headers(secret), body)).status).toBe(422);
    expect((await webhook.receiveWebhook(gitlabConnectionId, headers(secret), async () => "{not json")).status).toBe(
      422,
    );
    expect(
      (
        await webhook.receiveWebhook(
          gitlabConnectionId,
          headers(secret, { "content-length": String(5 * 1024 * 1024) }),
          body,
        )
      ).status,
    ).toBe(413);
    const ignored = await webhook.receiveWebhook(
      gitlabConnectionId,
      new Headers({ "x-gitlab-token": secret, "x-gitlab-event": "Push Hook" }),
      async () => "{}",
    );
    expect(ignored).toEqual({ status: 200, body: { ok: true, event: "ignored" }, pipelineIds: [] });
  });
});
