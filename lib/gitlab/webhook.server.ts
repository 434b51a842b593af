import "server-only";
import { timingSafeEqual, createHash } from "node:crypto";
import { db } from "@/lib/db.server";
import { linkJobRecords, upsertJob, upsertPipeline } from "./sync.server";
import { storedClient } from "./service.server";
import { parseWebhook } from "./webhook";

export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export type WebhookOutcome =
  | {
      status: 200;
      body: { ok: true; event: string };
      /** The stored pipelines the delivery changed (to tell their open pages), none for an ignored event. */
      pipelineIds: number[];
    }
  | { status: 401 | 413 | 422; body: { error: string } };

/**
 * One delivery from GitLab to /api/gitlab/webhook/<connection id>: the X-Gitlab-Token must be the
 * connection's webhook secret (compared in constant time), the body a job or pipeline event.
 * Errors say what is wrong without echoing the body.
 */
export async function receiveWebhook(
  gitlabConnectionId: string,
  headers: Headers,
  readBody: () => Promise<string>,
): Promise<WebhookOutcome> {
  const length = Number(headers.get("content-length") ?? "0");
  if (length > MAX_WEBHOOK_BYTES) return { status: 413, body: { error: "payload too large" } };
  const stored = await storedClient(gitlabConnectionId);
  // An unknown connection answers like a wrong secret: the endpoint does not tell which ids exist.
  if (!stored.ok || !sameSecret(headers.get("x-gitlab-token"), stored.value.webhookSecret)) {
    return { status: 401, body: { error: "X-Gitlab-Token does not match" } };
  }
  const text = await readBody();
  if (Buffer.byteLength(text) > MAX_WEBHOOK_BYTES) return { status: 413, body: { error: "payload too large" } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { status: 422, body: { error: "body is not JSON" } };
  }
  const event = parseWebhook(headers.get("x-gitlab-event"), json);
  if (event.kind === "invalid") return { status: 422, body: { error: `unexpected payload (field ${event.field})` } };
  if (event.kind === "ignored") return { status: 200, body: { ok: true, event: "ignored" }, pipelineIds: [] };
  const jobs = event.kind === "job" ? [event.job] : event.jobs;
  if (event.kind === "pipeline") await upsertPipeline(gitlabConnectionId, event.pipeline);
  for (const job of jobs) await upsertJob(gitlabConnectionId, job);
  await touchProject(gitlabConnectionId, event.kind === "job" ? event.job.projectId : event.pipeline.projectId);
  await linkJobRecords(
    gitlabConnectionId,
    jobs.map((job) => job.jobId),
  );
  const pipelineIds = event.kind === "pipeline" ? [event.pipeline.pipelineId] : [event.job.pipelineId];
  return {
    status: 200,
    body: { ok: true, event: event.kind },
    pipelineIds: pipelineIds.filter((id): id is number => id !== null),
  };
}

async function touchProject(gitlabConnectionId: string, projectId: number) {
  await db.gitlabProject.updateMany({ where: { gitlabConnectionId, projectId }, data: { lastEventAt: new Date() } });
}

function sameSecret(given: string | null, expected: string): boolean {
  if (!given) return false;
  // Hash both sides so the comparison is constant time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
