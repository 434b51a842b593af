import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DemoGitlab } from "../src/index";
import { api, createRunner, requestJob, startTestGitlab, updateJob, type Json } from "./helpers";

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: Json;
}

let gitlab: DemoGitlab;
let receiver: http.Server;
let receiverUrl: string;
let deliveries: Delivery[];

beforeEach(async () => {
  gitlab = await startTestGitlab();
  deliveries = [];
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      deliveries.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  await gitlab.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

describe("project webhooks", () => {
  it("delivers job and pipeline events with GitLab's headers and payloads, in order", async () => {
    const hook = await api(gitlab, "POST", "/projects/1/hooks", {
      body: { url: receiverUrl, token: "s3cret", job_events: true, pipeline_events: true, push_events: false },
    });
    expect(hook.status).toBe(201);
    expect(hook.body).toMatchObject({ url: receiverUrl, job_events: true, pipeline_events: true, push_events: false });
    expect(hook.body.token).toBeUndefined();

    const runner = await createRunner(gitlab);
    const pipeline = (await api(gitlab, "POST", "/projects/1/pipeline", { body: { ref: "main" } })).body;
    const job = (await requestJob(gitlab, runner.token)).body;
    await updateJob(gitlab, job, { state: "failed", failure_reason: "script_failure" });
    await gitlab.hooks.idle();

    for (const d of deliveries) {
      expect(d.headers["x-gitlab-token"]).toBe("s3cret");
      expect(d.headers["x-gitlab-instance"]).toBe(gitlab.url);
      expect(d.headers["x-gitlab-event-uuid"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(d.headers["user-agent"]).toBe("GitLab/18.6.1");
    }
    const jobEvents = deliveries.filter((d) => d.headers["x-gitlab-event"] === "Job Hook").map((d) => d.body);
    const packageJob = jobEvents.filter((e) => e.build_id === job.id).map((e) => e.build_status);
    expect(packageJob).toEqual(["created", "pending", "running", "failed"]);
    const failed = jobEvents.find((e) => e.build_id === job.id && e.build_status === "failed");
    expect(failed).toMatchObject({
      object_kind: "build",
      build_name: "mvn_package_job",
      build_stage: "package",
      build_failure_reason: "script_failure",
      pipeline_id: pipeline.id,
      project_id: 1,
      ref: "main",
      sha: pipeline.sha,
      runner: { id: runner.id, runner_type: "instance_type", is_shared: true },
    });
    expect(failed.build_started_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    expect(typeof failed.build_duration).toBe("number");

    const pipelineEvents = deliveries.filter((d) => d.headers["x-gitlab-event"] === "Pipeline Hook").map((d) => d.body);
    expect(pipelineEvents.map((e) => e.object_attributes.status)).toEqual(["created", "pending", "running", "failed"]);
    const last = pipelineEvents.at(-1);
    expect(last.object_attributes).toMatchObject({
      id: pipeline.id,
      ref: "main",
      source: "api",
      stages: ["package", "build", "deploy"],
    });
    expect(last.builds.map((b: Json) => [b.name, b.status])).toEqual([
      ["mvn_package_job", "failed"],
      ["build_and_publish_docker_image_job", "skipped"],
      ["deploy_k8s_job", "skipped"],
    ]);
    expect(last.project.path_with_namespace).toBe("eci/java-demo");
  });

  it("sends a test event on request, and only to hooks of the project", async () => {
    await api(gitlab, "POST", "/projects/2/hooks", { body: { url: receiverUrl, pipeline_events: true } });
    const hook = (await api(gitlab, "POST", "/projects/1/hooks", { body: { url: receiverUrl } })).body;
    const none = await api(gitlab, "POST", `/projects/1/hooks/${hook.id}/test/pipeline_events`);
    expect(none.status).toBe(422);
    await api(gitlab, "POST", "/projects/1/pipeline", { body: { ref: "main" } });
    await gitlab.hooks.idle();
    expect(deliveries).toHaveLength(0);
    const sent = await api(gitlab, "POST", `/projects/1/hooks/${hook.id}/test/pipeline_events`);
    expect(sent).toMatchObject({ status: 201, body: { message: "201 Created" } });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].headers["x-gitlab-token"]).toBeUndefined();
  });

  it("refuses non-HTTP URLs and is Maintainer-only", async () => {
    const bad = await api(gitlab, "POST", "/projects/1/hooks", { body: { url: "file:///etc/passwd" } });
    expect(bad.status).toBe(400);
    const developer = await api(gitlab, "GET", "/projects/2/hooks", { token: gitlab.info.readOnlyToken });
    expect(developer.status).toBe(403);
  });

  it("disables a hook for a while after 4 failed deliveries in a row", async () => {
    const hook = (
      await api(gitlab, "POST", "/projects/1/hooks", {
        body: { url: "http://127.0.0.1:9/closed", pipeline_events: true },
      })
    ).body;
    // The new pipeline's "created" and "pending" events fail, then two test deliveries: 4 in a row.
    await api(gitlab, "POST", "/projects/1/pipeline", { body: { ref: "main" } });
    for (let i = 0; i < 3; i++) await api(gitlab, "POST", `/projects/1/hooks/${hook.id}/test/pipeline_events`);
    await gitlab.hooks.idle();
    const shown = await api(gitlab, "GET", `/projects/1/hooks/${hook.id}`);
    expect(shown.body.alert_status).toBe("temporarily_disabled");
    expect(Date.parse(shown.body.disabled_until)).toBeGreaterThan(Date.now());
    const stored = gitlab.store.data.hooks.find((h) => h.id === hook.id)!;
    expect(stored.deliveries.at(-1)!.error).toBe("hook temporarily disabled");
  });
});
