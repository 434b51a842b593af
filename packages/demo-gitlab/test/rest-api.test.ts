import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Gitlab } from "@gitbeaker/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoGitlab } from "../src/index";
import { api, startTestGitlab, type Json } from "./helpers";

const run = promisify(execFile);
let gitlab: DemoGitlab;
beforeAll(async () => {
  gitlab = await startTestGitlab({ rateLimitPerMinute: 500 });
});
afterAll(async () => {
  await gitlab.stop();
});

describe("an independent client: @gitbeaker/rest", () => {
  const client = () => new Gitlab({ host: gitlab.url, token: gitlab.info.adminToken });

  it("reads the version, the token's user and the token itself", async () => {
    const gl = client();
    expect((await gl.Metadata.show()).version).toBe("18.6.1");
    const user = await gl.Users.showCurrentUser();
    expect(user.username).toBe("root");
    expect(user.is_admin).toBe(true);
    const self = await gl.PersonalAccessTokens.show();
    expect(self.scopes).toEqual(["api", "read_api", "read_user", "create_runner", "manage_runner"]);
    expect(self.active).toBe(true);
    expect(self.expires_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("pages through all projects with its own pagination (offset and keyset)", async () => {
    const gl = client();
    const offset = await gl.Projects.all({ perPage: 1, orderBy: "id", sort: "asc" });
    expect(offset.map((p) => p.path_with_namespace)).toEqual([
      "eci/java-demo",
      "acme/backend/payments-api",
      "acme/web/storefront",
      "acme/platform/infra",
    ]);
    const keyset = await gl.Projects.all({ perPage: 3, pagination: "keyset", orderBy: "id", sort: "asc" });
    expect(keyset.map((p) => p.id)).toEqual([1, 2, 3, 4]);
  });

  it("reads .gitlab-ci.yml, creates, lists, cancels and retries a pipeline, lists and reads jobs", async () => {
    const gl = client();
    const file = await gl.RepositoryFiles.show("eci/java-demo", ".gitlab-ci.yml", "main");
    expect(Buffer.from(file.content, "base64").toString()).toContain("mvn_package_job");
    const raw = await gl.RepositoryFiles.showRaw("eci/java-demo", ".gitlab-ci.yml", "main");
    expect(String(raw)).toContain("deploy_k8s_job");
    const pipeline = await gl.Pipelines.create("eci/java-demo", "main");
    expect(pipeline.status).toBe("pending");
    const listed = await gl.Pipelines.all("eci/java-demo", { status: "pending" });
    expect(listed.map((p) => p.id)).toContain(pipeline.id);
    const jobs = await gl.Jobs.all("eci/java-demo", { pipelineId: pipeline.id });
    expect(jobs.map((j) => j.name)).toEqual([
      "mvn_package_job",
      "build_and_publish_docker_image_job",
      "deploy_k8s_job",
    ]);
    const job = await gl.Jobs.show("eci/java-demo", jobs[0].id);
    expect(job.pipeline.id).toBe(pipeline.id);
    const canceled = await gl.Pipelines.cancel("eci/java-demo", pipeline.id);
    expect(canceled.status).toBe("canceled");
    const retried = await gl.Pipelines.retry("eci/java-demo", pipeline.id);
    expect(retried.status).toBe("pending");
    const projectJobs = await gl.Jobs.all("eci/java-demo", { maxPages: 1 });
    expect(projectJobs.length).toBeGreaterThanOrEqual(6);
  });

  it("creates a project runner, reads it, resets its token and deletes it", async () => {
    const gl = client();
    const runner = (await gl.Users.createCIRunner("project_type", {
      projectId: 1,
      description: "ask-ci",
      tagList: ["eci", "ask"],
    })) as Json;
    expect(runner.token).toMatch(/^glrt-/);
    const shown = await gl.Runners.show(runner.id);
    expect(shown).toMatchObject({
      description: "ask-ci",
      runner_type: "project_type",
      tag_list: ["eci", "ask"],
      status: "never_contacted",
    });
    // gitbeaker has no call for reset_authentication_token; the dashboard's client will make it like this.
    const reset = await api(gitlab, "POST", `/runners/${runner.id}/reset_authentication_token`);
    expect(reset.status).toBe(201);
    expect(reset.body.token).toMatch(/^glrt-/);
    expect(reset.body.token).not.toBe(runner.token);
    await gl.Runners.remove({ runnerId: runner.id });
    await expect(gl.Runners.show(runner.id)).rejects.toThrow(/Not Found/);
  });
});

describe("curl", () => {
  it("lists projects with the admin token, as the README shows", async () => {
    const { stdout } = await run("curl", [
      "-sS",
      "-H",
      `PRIVATE-TOKEN: ${gitlab.info.adminToken}`,
      `${gitlab.info.apiUrl}/projects?simple=true`,
    ]);
    const projects = JSON.parse(stdout) as Json[];
    expect(projects.map((p) => p.path_with_namespace)).toContain("eci/java-demo");
  });

  it("creates a pipeline with form fields and reads headers with -i", async () => {
    const { stdout } = await run("curl", [
      "-sS",
      "-i",
      "--request",
      "POST",
      "--header",
      `Authorization: Bearer ${gitlab.info.adminToken}`,
      "--form",
      "ref=main",
      "--form",
      "variables[][key]=FROM_CURL",
      "--form",
      "variables[][value]=yes",
      `${gitlab.info.apiUrl}/projects/eci%2Fjava-demo/pipeline`,
    ]);
    expect(stdout).toMatch(/^HTTP\/1\.1 201/);
    expect(stdout).toMatch(/ratelimit-limit: 500/i);
    const body = JSON.parse(stdout.slice(stdout.indexOf("\r\n\r\n") + 4));
    expect(body.source).toBe("api");
  });
});

describe("GitLab's answers to bad requests", () => {
  it("401 without or with a wrong token", async () => {
    expect(await api(gitlab, "GET", "/user", { token: null })).toMatchObject({
      status: 401,
      body: { message: "401 Unauthorized" },
    });
    expect(await api(gitlab, "GET", "/user", { token: "glpat-wrong" })).toMatchObject({
      status: 401,
      body: { message: "401 Unauthorized" },
    });
  });

  it("403 insufficient_scope for a read_api token that tries to write, or to create a runner", async () => {
    const token = gitlab.info.readOnlyToken;
    expect((await api(gitlab, "GET", "/projects/2/pipelines", { token })).status).toBe(200);
    const write = await api(gitlab, "POST", "/projects/2/pipeline", { token, body: { ref: "main" } });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ error: "insufficient_scope", scope: "api" });
    const runner = await api(gitlab, "POST", "/user/runners", {
      token,
      body: { runner_type: "project_type", project_id: 2 },
    });
    expect(runner.status).toBe(403);
    expect(runner.body.error).toBe("insufficient_scope");
  });

  it("401 invalid_token once a token expired or was revoked", async () => {
    const token = gitlab.store.data.tokens.find((t) => t.name === "read-only")!;
    token.expiresAt = "2020-01-01";
    const expired = await api(gitlab, "GET", "/user", { token: gitlab.info.readOnlyToken });
    expect(expired).toMatchObject({
      status: 401,
      body: { error: "invalid_token", error_description: "Token has expired." },
    });
    token.expiresAt = null;
    token.revoked = true;
    const revoked = await api(gitlab, "GET", "/user", { token: gitlab.info.readOnlyToken });
    expect(revoked.body.error_description).toBe("Token has been revoked.");
    token.revoked = false;
  });

  it("404 Project Not Found for missing projects and for projects the caller may not see", async () => {
    expect(await api(gitlab, "GET", "/projects/999")).toMatchObject({
      status: 404,
      body: { message: "404 Project Not Found" },
    });
    // bob (read-only token) is not a member of eci.
    const hidden = await api(gitlab, "GET", "/projects/eci%2Fjava-demo", { token: gitlab.info.readOnlyToken });
    expect(hidden).toMatchObject({ status: 404, body: { message: "404 Project Not Found" } });
    expect(await api(gitlab, "GET", "/projects/1/pipelines/424242")).toMatchObject({
      status: 404,
      body: { message: "404 Not found" },
    });
    expect(await api(gitlab, "GET", "/nothing/here")).toMatchObject({ status: 404, body: { error: "404 Not Found" } });
    // Private groups are hidden from non-members too.
    expect((await api(gitlab, "GET", "/groups/eci/projects", { token: gitlab.info.readOnlyToken })).body).toEqual({
      message: "404 Group Not Found",
    });
    expect(
      (await api(gitlab, "GET", "/groups/acme%2Fbackend/projects", { token: gitlab.info.readOnlyToken })).status,
    ).toBe(200);
  });

  it("400 for missing or invalid parameters, with Grape's and GitLab's bodies", async () => {
    expect(await api(gitlab, "POST", "/projects/1/pipeline", { body: {} })).toMatchObject({
      status: 400,
      body: { error: "ref is missing" },
    });
    const badRef = await api(gitlab, "POST", "/projects/1/pipeline", { body: { ref: "nope" } });
    expect(badRef).toMatchObject({ status: 400, body: { message: { base: ["Reference not found"] } } });
    expect((await api(gitlab, "GET", "/projects/1/pipelines?status=bogus")).body).toEqual({
      error: "status does not have a valid value",
    });
    expect((await api(gitlab, "POST", "/user/runners", { body: { runner_type: "x" } })).body).toEqual({
      error: "runner_type does not have a valid value",
    });
    const malformed = await fetch(`${gitlab.info.apiUrl}/projects/1/pipeline`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": gitlab.info.adminToken, "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
  });

  it("413 for an oversized body, 405 for a wrong method", async () => {
    const big = await fetch(`${gitlab.info.apiUrl}/projects/1/pipeline`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": gitlab.info.adminToken, "Content-Type": "application/json" },
      body: JSON.stringify({ ref: "main", pad: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect((await api(gitlab, "DELETE", "/version")).status).toBe(405);
  });
});

describe("pagination and rate limits", () => {
  it("sends GitLab's pagination headers and Link relations", async () => {
    const page = await api(gitlab, "GET", "/projects?per_page=2&page=2&order_by=id&sort=asc");
    expect(page.body.map((p: Json) => p.id)).toEqual([3, 4]);
    expect(page.headers.get("x-total")).toBe("4");
    expect(page.headers.get("x-total-pages")).toBe("2");
    expect(page.headers.get("x-page")).toBe("2");
    expect(page.headers.get("x-prev-page")).toBe("1");
    expect(page.headers.get("x-next-page")).toBe("");
    const link = page.headers.get("link")!;
    expect(link).toContain('rel="prev"');
    expect(link).toContain('rel="first"');
    expect(link).toContain('rel="last"');
    expect(link).not.toContain('rel="next"');
    expect(link).toContain(`${gitlab.info.apiUrl}/projects?`);
    // Project jobs are paged without counting them.
    const jobs = await api(gitlab, "GET", "/projects/1/jobs?per_page=1");
    expect(jobs.headers.get("x-total")).toBeNull();
    expect(jobs.headers.get("link")).not.toContain('rel="last"');
  });

  it("keyset-paginates projects with id_after, and refuses other orders with 405", async () => {
    const first = await api(gitlab, "GET", "/projects?pagination=keyset&order_by=id&sort=asc&per_page=3");
    expect(first.body.map((p: Json) => p.id)).toEqual([1, 2, 3]);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("link")!)![1];
    expect(next).toContain("id_after=3");
    const second = await fetch(next, { headers: { "PRIVATE-TOKEN": gitlab.info.adminToken } });
    expect(((await second.json()) as Json[]).map((p) => p.id)).toEqual([4]);
    expect(second.headers.get("link")).toBeNull();
    expect((await api(gitlab, "GET", "/projects?pagination=keyset&order_by=name")).status).toBe(405);
  });

  it("counts requests per token and answers 429 with Retry-After past the limit", async () => {
    const limited = await startTestGitlab({ rateLimitPerMinute: 3 });
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await api(limited, "GET", "/version"));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
      expect(answers[2].headers.get("ratelimit-remaining")).toBe("0");
      expect(answers[0].headers.get("ratelimit-name")).toBe("throttle_authenticated_api");
      expect(Number(answers[3].headers.get("retry-after"))).toBeGreaterThan(0);
      expect(answers[3].text).toBe("Retry later\n");
    } finally {
      await limited.stop();
    }
  });
});
