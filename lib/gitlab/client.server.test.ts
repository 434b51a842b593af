import http from "node:http";
import https from "node:https";
import net from "node:net";
import selfsigned from "selfsigned";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiBaseOf, GitlabClient } from "./client.server";
import { GitlabApiError } from "./problems";

/**
 * The client against a small local HTTP server that answers the way GitLab does (pagination
 * headers, rate limits, error bodies), and misbehaves the way a wrong URL does.
 */

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;
let handler: Handler = (_req, res) => res.end();
const requests: Array<{ method: string; url: string; token?: string; body: string }> = [];
let baseUrl: string;
const servers: net.Server[] = [];

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

function route(req: http.IncomingMessage, res: http.ServerResponse) {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString()));
  req.on("end", () => {
    requests.push({ method: req.method!, url: req.url!, token: req.headers["private-token"] as string, body });
    handler(req, res, body);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  baseUrl = `http://127.0.0.1:${await listen(http.createServer(route))}/gitlab`;
});
afterEach(() => {
  requests.length = 0;
});
afterAll(() => {
  for (const server of servers) server.close();
});

function client(options: ConstructorParameters<typeof GitlabClient>[1] = {}) {
  const sleeps: number[] = [];
  const instance = new GitlabClient(
    { url: baseUrl, token: "glpat-secret" },
    { sleep: async (ms) => void sleeps.push(ms), random: () => 1, ...options },
  );
  return { instance, sleeps };
}

async function problemOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitlabApiError);
  return (error as GitlabApiError).problem;
}

describe("GitlabClient", () => {
  it("calls /api/v4 under a relative root with the PRIVATE-TOKEN header", async () => {
    handler = (_req, res) => json(res, 200, { version: "17.11.1-ee", revision: "abc", unknown: 1 });
    const { instance } = client();
    expect(await instance.version()).toEqual({ version: "17.11.1-ee", revision: "abc" });
    expect(requests).toEqual([{ method: "GET", url: "/gitlab/api/v4/version", token: "glpat-secret", body: "" }]);
  });

  it("follows X-Next-Page through every page", async () => {
    handler = (req, res) => {
      const page = Number(new URL(req.url!, "http://x").searchParams.get("page") ?? "1");
      const items = page <= 3 ? [{ id: page, name: `p${page}`, path_with_namespace: `g/p${page}` }] : [];
      json(res, 200, items, { "x-next-page": page < 3 ? String(page + 1) : "" });
    };
    const { instance } = client();
    const projects = await instance.projects();
    expect(projects.map((p) => p.id)).toEqual([1, 2, 3]);
    expect(requests.map((r) => new URL(r.url, "http://x").searchParams.get("page"))).toEqual([null, "2", "3"]);
    expect(requests.every((r) => r.url.includes("per_page=100"))).toBe(true);
  });

  it("stops fetching pages when the caller stops iterating", async () => {
    handler = (req, res) => {
      const page = Number(new URL(req.url!, "http://x").searchParams.get("page") ?? "1");
      json(res, 200, [{ id: 100 - page, name: "j", stage: "test", status: "success" }], {
        "x-next-page": String(page + 1),
      });
    };
    const { instance } = client();
    for await (const page of instance.runnerJobPages(7)) {
      expect(page[0].id).toBe(99);
      break;
    }
    expect(requests).toHaveLength(1);
    expect(requests[0].url).toContain("/runners/7/jobs?per_page=100&order_by=id&sort=desc");
  });

  it("waits as long as Retry-After says on 429, then succeeds", async () => {
    let calls = 0;
    handler = (_req, res) =>
      ++calls === 1
        ? json(res, 429, { message: "Retry later" }, { "retry-after": "3" })
        : json(res, 200, { id: 1, username: "root" });
    const { instance, sleeps } = client();
    expect((await instance.currentUser()).username).toBe("root");
    expect(sleeps).toEqual([3_000]);
    expect(requests).toHaveLength(2);
  });

  it("holds the next request until RateLimit-Reset when RateLimit-Remaining is 0", async () => {
    const now = 1_800_000_000_000;
    handler = (_req, res) =>
      json(
        res,
        200,
        { id: 1, username: "root" },
        { "ratelimit-remaining": "0", "ratelimit-reset": String(now / 1000 + 20) },
      );
    const { instance, sleeps } = client({ now: () => now });
    await instance.currentUser();
    expect(sleeps).toEqual([]);
    await instance.currentUser();
    expect(sleeps).toEqual([20_000]);
  });

  it("retries a GET on 503 with backoff, but never a POST", async () => {
    handler = (_req, res) => json(res, 503, { message: "503 Service Unavailable" });
    const { instance, sleeps } = client();
    expect((await problemOf(instance.version())).code).toBe("serverError");
    expect(requests).toHaveLength(4);
    expect(sleeps).toEqual([500, 1_000, 2_000]);
    requests.length = 0;
    const problem = await problemOf(instance.createPipeline(1, "main"));
    expect(problem).toMatchObject({ code: "serverError", params: { status: 503, path: "/projects/1/pipeline" } });
    expect(requests).toHaveLength(1);
  });

  it.each([
    [401, { message: "401 Unauthorized" }, "unauthorized", "401 Unauthorized"],
    [
      403,
      { error: "insufficient_scope", error_description: "The request requires higher privileges" },
      "forbidden",
      "The request requires higher privileges",
    ],
    [404, { message: "404 Project Not Found" }, "notFound", "404 Project Not Found"],
    [
      400,
      { message: { tag_list: ["is too long"], base: ["runner type is invalid"] } },
      "rejected",
      "tag_list is too long; base runner type is invalid",
    ],
  ])("answers %s as its own problem with GitLab's message", async (status, body, code, message) => {
    handler = (_req, res) => json(res, status, body);
    const problem = await problemOf(client().instance.project(5));
    expect(problem).toMatchObject({ code, params: { status, message, path: "/projects/5" } });
    expect(requests).toHaveLength(1);
  });

  it("sends runner creation as GitLab expects it", async () => {
    handler = (_req, res) => json(res, 201, { id: 9, token: "glrt-abc", token_expires_at: null });
    const created = await client().instance.createUserRunner({
      runnerType: "project_type",
      projectId: 3,
      description: "ask-ci on ASK",
      tagList: ["ask", "eci"],
      runUntagged: false,
      locked: true,
      paused: false,
      maximumTimeout: 3600,
    });
    expect(created).toEqual({ id: 9, token: "glrt-abc", token_expires_at: null });
    expect(requests[0].method).toBe("POST");
    expect(requests[0].url).toBe("/gitlab/api/v4/user/runners");
    expect(JSON.parse(requests[0].body)).toEqual({
      runner_type: "project_type",
      project_id: 3,
      description: "ask-ci on ASK",
      tag_list: "ask,eci",
      run_untagged: false,
      locked: true,
      paused: false,
      maximum_timeout: 3600,
    });
  });

  it("verifies a runner token by its body, without sending the access token", async () => {
    handler = (_req, res) => json(res, 200, { id: 4, token: "glrt-x", token_expires_at: null });
    expect(await client().instance.verifyRunnerToken("glrt-x")).toMatchObject({ id: 4 });
    expect(requests[0].token).toBeUndefined();
    expect(JSON.parse(requests[0].body)).toEqual({ token: "glrt-x" });
  });

  it("says plainly when the server is not GitLab or answers something else", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>sign in</html>");
    };
    expect((await problemOf(client().instance.version())).code).toBe("notGitlab");
    handler = (_req, res) => json(res, 200, { name: "no version" });
    expect(await problemOf(client().instance.version())).toMatchObject({
      code: "invalidResponse",
      params: { field: "version" },
    });
  });

  it("gives up on a server that never answers, after its deadline and retries", async () => {
    handler = () => {};
    const { instance, sleeps } = client({
      timeoutMs: 100,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10, maxWaitMs: 10 },
    });
    expect((await problemOf(instance.version())).code).toBe("timeout");
    expect(requests).toHaveLength(2);
    expect(sleeps).toEqual([10]);
  });

  it("reports a closed port as unreachable", async () => {
    const port = await listen(net.createServer());
    servers.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const instance = new GitlabClient(
      { url: `http://127.0.0.1:${port}`, token: "t" },
      { sleep: async () => {}, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 1 } },
    );
    expect(await problemOf(instance.version())).toMatchObject({
      code: "unreachable",
      params: { detail: "ECONNREFUSED" },
    });
  });

  it("trusts a custom CA for a self-managed GitLab, and refuses the certificate without it", async () => {
    const ca = await selfsigned.generate([{ name: "commonName", value: "gitlab-ca" }], {
      keyType: "ec",
      algorithm: "sha256",
      extensions: [
        { name: "basicConstraints", cA: true, critical: true },
        { name: "keyUsage", keyCertSign: true, digitalSignature: true, critical: true },
      ],
    });
    const leaf = await selfsigned.generate([{ name: "commonName", value: "gitlab" }], {
      keyType: "ec",
      algorithm: "sha256",
      ca: { key: ca.private, cert: ca.cert },
      extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
    });
    const port = await listen(
      https.createServer({ key: leaf.private, cert: leaf.cert }, (_req, res) => json(res, 200, { version: "18.0.0" })),
    );
    const once = { sleep: async () => {}, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 1 } };
    const url = `https://127.0.0.1:${port}`;
    expect((await problemOf(new GitlabClient({ url, token: "t" }, once).version())).code).toBe("tlsUntrusted");
    expect(await new GitlabClient({ url, token: "t", caCertificate: ca.cert }, once).version()).toEqual({
      version: "18.0.0",
    });
  });
});

describe("apiBaseOf", () => {
  it.each([
    ["https://gitlab.com", "https://gitlab.com/api/v4/"],
    ["https://gitlab.com/", "https://gitlab.com/api/v4/"],
    ["https://git.corp/gitlab/", "https://git.corp/gitlab/api/v4/"],
    ["https://git.corp/api/v4", "https://git.corp/api/v4/"],
    ["https://git.corp/?x=1#y", "https://git.corp/api/v4/"],
  ])("%s → %s", (url, base) => expect(apiBaseOf(url).href).toBe(base));
});
