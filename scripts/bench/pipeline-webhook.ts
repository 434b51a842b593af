/**
 * Pipeline webhook benchmark (not part of `npm test`): `npm run bench -- pipeline-webhook`.
 *
 * The demo GitLab (in-process, real HTTP) with a project hook for job and pipeline events pointing at
 * a loopback HTTP server that hands each delivery to `receiveWebhook` (all the route
 * `app/api/gitlab/webhook/[id]` does besides reading its id) on a fresh SQLite database. BENCH_PIPELINES
 * pipelines are created through the API at BENCH_RATE per second and each is canceled 0.5 s later; per
 * change, the time from the API call to the delivery that carries it being stored, p50 / p99. Then what a
 * load of the pipeline page costs (`pipelineDetail`, which also asks GitLab for the pipeline again).
 * The open pipeline page does not update by itself (a server-rendered page): these are the times until
 * a load of it shows the change, not until an open page does.
 */
import http from "node:http";
import os from "node:os";
import { percentileOrNaN as percentile } from "./lib/bench-kube";
import { useFreshDatabase as freshDatabase } from "@/tests/test-db";
import { addDemoGitlabConnection, demoGitlabAdminApi, startQuietDemoGitlab } from "@/tests/demo-gitlab";

// The dashboard's modules are server-only; outside Next.js "server-only" would throw on import.
require.cache[require.resolve("server-only")] = { exports: {} } as NodeJS.Module;

const PIPELINES = Number(process.env.BENCH_PIPELINES ?? 150);
const RATE = Number(process.env.BENCH_RATE ?? 5);
const PROJECT = 3; // acme/web/storefront: lint, test → build → deploy (manual)
const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(" ");

async function main() {
  console.log(`start: load ${load()} on ${os.cpus().length} CPUs`);
  freshDatabase();
  const gitlab = await startQuietDemoGitlab();
  const { db } = await import("@/lib/db.server");
  const { decryptJson } = await import("@/lib/crypto/encryption.server");
  const { receiveWebhook } = await import("@/lib/gitlab/webhook.server");
  const { pipelineDetail } = await import("@/lib/gitlab/pipelines.server");
  const connectionId = await addDemoGitlabConnection(gitlab);
  const { webhookSecret } = decryptJson<{ webhookSecret: string }>(
    (await db.gitlabConnection.findUniqueOrThrow({ where: { id: connectionId } })).credentials,
  );

  /** "<pipeline id>:<status>" → when the delivery carrying it had been stored. */
  const storedAt = new Map<string, number>();
  let deliveries = 0;
  /** How long each receiveWebhook took: GitLab delivers one at a time per hook, so these queue. */
  const handling: number[] = [];
  const failures: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const begun = performance.now();
      const outcome = await receiveWebhook(connectionId, headers, async () => text);
      const at = performance.now();
      handling.push(at - begun);
      deliveries++;
      if (outcome.status !== 200) failures.push(`${outcome.status} ${JSON.stringify(outcome.body)}`);
      const body = JSON.parse(text) as { object_kind?: string; object_attributes?: { id?: number; status?: string } };
      if (body.object_kind === "pipeline") {
        const key = `${body.object_attributes?.id}:${body.object_attributes?.status}`;
        if (!storedAt.has(key)) storedAt.set(key, at);
      }
      res.writeHead(outcome.status, { "content-type": "application/json" }).end(JSON.stringify(outcome.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const api = demoGitlabAdminApi(gitlab);
  await api(`/projects/${PROJECT}/hooks`, {
    method: "POST",
    body: {
      url: `http://127.0.0.1:${port}/api/gitlab/webhook/${connectionId}`,
      token: webhookSecret,
      job_events: true,
      pipeline_events: true,
      push_events: false,
      enable_ssl_verification: false,
    },
  });

  /** "<pipeline id>:<status>" → when the API call that made that change was sent. */
  const sentAt = new Map<string, number>();
  const ids: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < PIPELINES; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const sent = performance.now();
    pending.push(
      (async () => {
        const pipeline = await api<{ id: number; status: string }>(`/projects/${PROJECT}/pipeline`, {
          method: "POST",
          body: { ref: "main" },
        });
        ids.push(pipeline.id);
        sentAt.set(`${pipeline.id}:${pipeline.status}`, sent);
        await new Promise((r) => setTimeout(r, 500));
        const cancelSent = performance.now();
        sentAt.set(`${pipeline.id}:canceled`, cancelSent);
        await api(`/projects/${PROJECT}/pipelines/${pipeline.id}/cancel`, { method: "POST" });
      })(),
    );
  }
  await Promise.all(pending);
  await gitlab.hooks.idle();
  await new Promise((r) => setTimeout(r, 500));

  const latencies: number[] = [];
  let missing = 0;
  for (const [key, sent] of sentAt) {
    const stored = storedAt.get(key);
    if (stored === undefined) missing++;
    else latencies.push(stored - sent);
  }
  console.log(`${PIPELINES} pipelines at ${RATE}/s on project ${PROJECT}, each canceled 0.5 s later`);
  console.log(
    `webhook deliveries handled: ${deliveries} (${failures.length} refused${failures.length ? `: ${failures[0]}` : ""})`,
  );
  console.log(
    `pipeline change → stored by its webhook: n=${latencies.length}/${sentAt.size} (missing ${missing})  p50 ${percentile(latencies, 50).toFixed(1)} ms  p99 ${percentile(latencies, 99).toFixed(1)} ms  max ${Math.max(...latencies).toFixed(1)} ms`,
  );

  console.log(
    `receiveWebhook per delivery: p50 ${percentile(handling, 50).toFixed(1)} ms  p99 ${percentile(handling, 99).toFixed(1)} ms  total ${(handling.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s`,
  );
  const canceledShown = (
    await db.gitlabPipeline.findMany({ where: { gitlabConnectionId: connectionId, pipelineId: { in: ids } } })
  ).filter((p) => p.status === "canceled").length;
  console.log(`pipelines stored as canceled: ${canceledShown}/${ids.length}`);

  const pageLoads: number[] = [];
  for (const id of ids.slice(0, 50)) {
    const t = performance.now();
    const detail = await pipelineDetail(connectionId, id);
    pageLoads.push(performance.now() - t);
    if (detail?.pipeline.status !== "canceled")
      console.log(`pipeline ${id}: the page shows ${detail?.pipeline.status}`);
  }
  console.log(
    `pipeline page data (pipelineDetail, refreshes from GitLab): n=${pageLoads.length}  p50 ${percentile(pageLoads, 50).toFixed(1)} ms  p99 ${percentile(pageLoads, 99).toFixed(1)} ms`,
  );
  console.log(`end: load ${load()}`);
  server.close();
  await gitlab.stop();
  await db.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
