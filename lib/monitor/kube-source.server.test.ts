import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { KubeConfig } from "@kubernetes/client-node";
import type { Pod } from "@/lib/kube/pod";
import { getApiJson, podListWatchSource, toApiJson } from "./kube-source.server";

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function apiServer(
  handler: Handler,
  /** What follows host:port in the kubeconfig's server URL. */
  serverPath = "/",
): Promise<{ kc: KubeConfig; requests: http.IncomingMessage[] }> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request);
    handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const kc = new KubeConfig();
  // client-node accepts a plain-HTTP server only with skipTLSVerify.
  kc.loadFromOptions({
    clusters: [
      {
        name: "c",
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}${serverPath}`,
        skipTLSVerify: true,
      },
    ],
    users: [{ name: "u", token: "t0ken" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  return { kc, requests };
}

function json(response: http.ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

describe("podListWatchSource list", () => {
  it("follows continue tokens page by page and returns the API's JSON as is, with the last page's resourceVersion", async () => {
    const { kc, requests } = await apiServer((request, response) => {
      const query = new URL(request.url ?? "", "http://x").searchParams;
      const page = query.get("continue") ? 2 : 1;
      json(response, 200, {
        kind: "PodList",
        metadata: { resourceVersion: `rv${page}`, continue: page === 1 ? "next page" : "" },
        items: [{ metadata: { uid: `p${page}`, name: `pod-${page}`, creationTimestamp: "2026-01-01T00:00:05Z" } }],
      });
    });
    const result = await podListWatchSource(async () => kc, "gitlab runner", "job.runner.gitlab.com/pod").list();
    expect(result.resourceVersion).toBe("rv2");
    expect(result.items.map((pod) => pod.metadata)).toEqual([
      { uid: "p1", name: "pod-1", creationTimestamp: "2026-01-01T00:00:05Z" },
      { uid: "p2", name: "pod-2", creationTimestamp: "2026-01-01T00:00:05Z" },
    ]);
    const urls = requests.map((request) => new URL(request.url ?? "", "http://x"));
    expect(urls[0].pathname).toBe("/api/v1/namespaces/gitlab%20runner/pods");
    expect(Object.fromEntries(urls[0].searchParams)).toEqual({
      limit: "500",
      labelSelector: "job.runner.gitlab.com/pod",
    });
    expect(urls[1].searchParams.get("continue")).toBe("next page");
    expect(requests[0].headers.authorization).toBe("Bearer t0ken");
  });

  it("lists every namespace's pods from /api/v1/pods, and without a selector asks for none", async () => {
    const { kc, requests } = await apiServer((_request, response) =>
      json(response, 200, { kind: "PodList", metadata: { resourceVersion: "7" }, items: [] }),
    );
    expect(await podListWatchSource(async () => kc, "*", undefined).list()).toEqual({
      items: [],
      resourceVersion: "7",
    });
    const url = new URL(requests[0].url ?? "", "http://x");
    expect(url.pathname).toBe("/api/v1/pods");
    expect(Object.fromEntries(url.searchParams)).toEqual({ limit: "500" });
  });

  it("slims each page's pods as the page arrives, without managedFields", async () => {
    const order: string[] = [];
    const { kc } = await apiServer((request, response) => {
      const page = new URL(request.url ?? "", "http://x").searchParams.get("continue") ? 2 : 1;
      order.push(`request ${page}`);
      json(response, 200, {
        metadata: { resourceVersion: "9", continue: page === 1 ? "2" : "" },
        items: [
          {
            metadata: { uid: `p${page}`, managedFields: [{ manager: "kubelet" }] },
            spec: { containers: [{ name: "build", env: [{ name: "TOKEN", value: "s" }] }] },
          },
        ],
      });
    });
    const slim = (pod: Pod) => {
      order.push(`slim ${pod.metadata?.uid}`);
      return { ...pod, spec: undefined };
    };
    const result = await podListWatchSource(async () => kc, "ns", undefined, slim).list();
    expect(order).toEqual(["request 1", "slim p1", "request 2", "slim p2"]);
    expect(result.items).toEqual([{ metadata: { uid: "p1" } }, { metadata: { uid: "p2" } }]);
  });
});

describe("podListWatchSource list, pages of the wrong shape", () => {
  const pod = (uid: string) => ({ metadata: { uid } });

  it("takes items that are not an array as no pods, and a resourceVersion that is not a string as none", async () => {
    for (const page of [
      { metadata: { resourceVersion: 7 }, items: { 0: pod("p1") } },
      { metadata: { resourceVersion: ["7"] }, items: "p1" },
      { metadata: { resourceVersion: null }, items: null },
    ]) {
      const { kc } = await apiServer((_request, response) => json(response, 200, page));
      expect(await podListWatchSource(async () => kc, "ns", undefined).list()).toEqual({
        items: [],
        resourceVersion: "",
      });
    }
  });

  it("answers a page without metadata: its pods, no resourceVersion, no next page", async () => {
    const { kc, requests } = await apiServer((_request, response) => json(response, 200, { items: [pod("p1")] }));
    expect(await podListWatchSource(async () => kc, "ns", undefined).list()).toEqual({
      items: [pod("p1")],
      resourceVersion: "",
    });
    expect(requests).toHaveLength(1);
  });

  it("does not follow a continue token that is not a string", async () => {
    for (const token of [5, true, { page: 2 }, ["2"]]) {
      const { kc, requests } = await apiServer((request, response) => {
        const next = new URL(request.url ?? "", "http://x").searchParams.get("continue");
        json(response, 200, {
          metadata: { resourceVersion: "9", continue: next ? "" : token },
          items: [pod(next ? "p2" : "p1")],
        });
      });
      expect(await podListWatchSource(async () => kc, "ns", undefined).list()).toEqual({
        items: [pod("p1")],
        resourceVersion: "9",
      });
      expect(requests).toHaveLength(1);
    }
  });

  it("passes a pod the slimmer throws on as it came, and slims the others", async () => {
    const { kc } = await apiServer((_request, response) =>
      json(response, 200, { metadata: { resourceVersion: "9" }, items: [pod("bad"), pod("good")] }),
    );
    const slim = (listed: Pod) => {
      if (listed.metadata?.uid === "bad") throw new Error("cannot slim");
      return { ...listed, metadata: { ...listed.metadata, name: "slimmed" } };
    };
    expect((await podListWatchSource(async () => kc, "ns", undefined, slim).list()).items).toEqual([
      pod("bad"),
      { metadata: { uid: "good", name: "slimmed" } },
    ]);
  });
});

describe("getApiJson", () => {
  it.each([
    {
      status: 410,
      body: JSON.stringify({ kind: "Status", message: "continue token expired", code: 410 }),
      message: "continue token expired",
    },
    {
      status: 403,
      body: JSON.stringify({ kind: "Status", message: 'pods is forbidden: User "x"', code: 403 }),
      message: 'pods is forbidden: User "x"',
    },
    { status: 502, body: "<html>bad gateway</html>", message: "GET /api/v1/pods: HTTP 502" },
    // A redirect is not an answer: 300 is the first status past the 2xx range.
    { status: 300, body: "{}", message: "GET /api/v1/pods: HTTP 300" },
  ])("rejects HTTP $status with the Status message and the status code", async ({ status, body, message }) => {
    const { kc } = await apiServer((_request, response) => {
      response.writeHead(status);
      response.end(body);
    });
    await expect(getApiJson(kc, "/api/v1/pods")).rejects.toMatchObject({ message, statusCode: status });
  });

  it("rejects when nothing listens, and for a kubeconfig without a current cluster", async () => {
    const { kc } = await apiServer((_request, response) => json(response, 200, {}));
    await new Promise((resolve) => servers.splice(0)[0].close(resolve));
    await expect(getApiJson(kc, "/api/v1/pods")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await expect(getApiJson(new KubeConfig(), "/api/v1/pods")).rejects.toThrow("kubeconfig has no current cluster");
  });

  it("asks the right path of a server URL that ends in slashes", async () => {
    const { kc, requests } = await apiServer((_request, response) => json(response, 200, { items: [] }), "//");
    expect(await getApiJson(kc, "/api/v1/pods?limit=1")).toEqual({ items: [] });
    expect(requests[0].url).toBe("/api/v1/pods?limit=1");
  });

  it("rejects an answer cut off mid-body", async () => {
    const { kc } = await apiServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      response.write('{"items": [');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    // Rejected at once (not left to the 30-second idle timeout), with the reset.
    const outcome = await Promise.race([
      getApiJson(kc, "/api/v1/pods").then(
        () => "resolved",
        (error: unknown) => error,
      ),
      new Promise((resolve) => setTimeout(() => resolve("no answer after 2 s"), 2000)),
    ]);
    expect(outcome).toMatchObject({ code: "ECONNRESET" });
  });

  it("rejects a 200 whose body is not JSON", async () => {
    const { kc } = await apiServer((_request, response) => {
      response.writeHead(200);
      response.end("not json");
    });
    await expect(getApiJson(kc, "/api/v1/pods")).rejects.toThrow(/not JSON/);
  });
});

describe("toApiJson", () => {
  it("gives the API's JSON of a generated client's object: dates as RFC 3339 strings, no undefined fields", () => {
    expect(
      toApiJson({ metadata: { creationTimestamp: new Date("2026-01-01T00:00:05Z"), name: undefined } }),
    ).toStrictEqual({
      metadata: { creationTimestamp: "2026-01-01T00:00:05.000Z" },
    });
  });
});
