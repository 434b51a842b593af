import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metrics } from "./metrics";
import { countUpstreamCalls, outcomeOf, upstreamOf } from "./upstream-calls";

describe("upstreamOf / outcomeOf", () => {
  it.each([
    ["/api/v1/namespaces/gitlab-runner/pods?watch=true", "kubernetes"],
    ["/apis/apps/v1/deployments", "kubernetes"],
    ["/api", "kubernetes"],
    ["/version?timeout=32s", "kubernetes"],
    ["/openapi/v3", "kubernetes"],
    ["/api/v4/projects/1/jobs", "gitlab"],
    ["/oauth/token", "gitlab"],
    ["/.well-known/openid-configuration", "gitlab"],
    ["/healthz", null],
    ["/apiary", null],
  ])("%s → %s", (path, upstream) => {
    expect(upstreamOf(path)).toBe(upstream);
  });

  it("classifies outcomes", () => {
    expect([200, 304, 404, 409, 500, 503, null].map(outcomeOf)).toEqual([
      "ok",
      "ok",
      "client_error",
      "client_error",
      "server_error",
      "server_error",
      "network_error",
    ]);
  });
});

describe("countUpstreamCalls", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      if (request.url?.startsWith("/api/v4/broken")) return request.socket.destroy();
      response.writeHead(request.url?.startsWith("/apis/missing") ? 404 : 200).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    countUpstreamCalls();
  });
  afterAll(() => server.close());

  const value = async (upstream: string, outcome: string) =>
    (await metrics().upstreamCalls.get()).values.find(
      (sample) => sample.labels.upstream === upstream && sample.labels.outcome === outcome,
    )?.value ?? 0;

  const get = (path: string) =>
    new Promise<void>((resolve) => {
      http.get(`${base}${path}`, (response) => response.resume().on("end", resolve)).on("error", () => resolve());
    });

  it("counts Kubernetes and GitLab requests of any client by outcome, and nothing else", async () => {
    const before = {
      k8sOk: await value("kubernetes", "ok"),
      k8s404: await value("kubernetes", "client_error"),
      gitlabOk: await value("gitlab", "ok"),
      gitlabNet: await value("gitlab", "network_error"),
    };
    await get("/api/v1/pods");
    await get("/apis/missing/v1");
    await get("/api/v4/projects");
    await get("/api/v4/broken");
    await get("/not-an-api");
    await fetch(`${base}/api/v4/version`).then((response) => response.text());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await value("kubernetes", "ok")).toBe(before.k8sOk + 1);
    expect(await value("kubernetes", "client_error")).toBe(before.k8s404 + 1);
    expect(await value("gitlab", "ok")).toBe(before.gitlabOk + 2);
    expect(await value("gitlab", "network_error")).toBe(before.gitlabNet + 1);
  });
});
