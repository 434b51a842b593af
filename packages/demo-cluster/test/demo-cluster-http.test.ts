import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, until, type TestCluster } from "./demo-cluster-helpers";

// Raw HTTPS requests: the Status errors a real apiserver gives for bad requests, and protocol
// details (Tables, paging, bookmarks) that clients rely on.

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Record<string, unknown>;
}

let t: TestCluster;

function request(
  method: string,
  path: string,
  opts: { body?: string | Buffer; headers?: Record<string, string>; token?: string | null; untilLines?: number } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const token = opts.token === undefined ? t.cluster.adminToken : opts.token;
    const req = https.request(
      t.cluster.url + path,
      {
        method,
        ca: t.cluster.caPem,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          // Node sends a GET body unframed unless its length is given.
          ...(opts.body !== undefined
            ? { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(opts.body)) }
            : {}),
          ...opts.headers,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => {
          text += d.toString();
          if (opts.untilLines && text.split("\n").filter(Boolean).length >= opts.untilLines) res.destroy();
        });
        const done = () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        res.on("end", done);
        res.on("close", done);
      },
    );
    req.on("error", reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

beforeAll(async () => {
  t = await startTestCluster({ watchWindow: 10, bookmarkIntervalMs: 200 });
});
afterAll(async () => {
  await t?.stop();
});

describe("demo cluster HTTP protocol", () => {
  it("answers /version and health without a token, everything else 401", async () => {
    const v = await request("GET", "/version", { token: null });
    expect(v.status).toBe(200);
    expect(v.json()).toMatchObject({ major: "1", minor: "32", gitVersion: "v1.32.1-aliyun.1" });
    expect((await request("GET", "/readyz", { token: null })).text).toBe("ok");
    const denied = await request("GET", "/api/v1/pods", { token: null });
    expect(denied.status).toBe(401);
    expect(denied.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    });
    expect((await request("GET", "/api", { token: "wrong" })).status).toBe(401);
  });

  it("serves aggregated discovery when asked, plain lists otherwise", async () => {
    const accept =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    const agg = await request("GET", "/apis", { headers: { Accept: accept } });
    expect(agg.headers["content-type"]).toBe("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    const list = agg.json() as {
      kind: string;
      items: Array<{
        metadata: { name: string };
        versions: Array<{ resources: Array<{ resource: string; scope: string }> }>;
      }>;
    };
    expect(list.kind).toBe("APIGroupDiscoveryList");
    const eci = list.items.find((i) => i.metadata.name === "eci.alibabacloud.com")!;
    expect(eci.versions[0].resources).toEqual([expect.objectContaining({ resource: "imagecaches", scope: "Cluster" })]);
    const core = (await request("GET", "/api", { headers: { Accept: accept } })).json() as typeof list;
    const pods = core.items[0].versions[0].resources.find((r) => r.resource === "pods");
    expect(pods).toMatchObject({
      scope: "Namespaced",
      subresources: expect.arrayContaining([expect.objectContaining({ subresource: "log" })]),
    });
    const plain = await request("GET", "/api");
    expect(plain.json()).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
  });

  it("rejects bad bodies with the right Status", async () => {
    const cms = "/api/v1/namespaces/default/configmaps";
    const malformed = await request("POST", cms, { body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toMatchObject({ kind: "Status", reason: "BadRequest", code: 400 });

    const yaml = await request("POST", cms, { body: "a: [", headers: { "Content-Type": "application/yaml" } });
    expect(yaml.status).toBe(400);

    const media = await request("POST", cms, { body: "{}", headers: { "Content-Type": "text/plain" } });
    expect(media.status).toBe(415);
    expect(media.json().reason).toBe("UnsupportedMediaType");

    const patchMedia = await request("PATCH", `${cms}/kube-root-ca.crt`, {
      body: "{}",
      headers: { "Content-Type": "application/json" },
    });
    expect(patchMedia.status).toBe(415);

    const big = await request("POST", cms, { body: Buffer.alloc(3 * 1024 * 1024 + 10, 0x20) });
    expect(big.status).toBe(413);
    expect(big.json()).toMatchObject({ reason: "RequestEntityTooLarge", code: 413 });

    const unknownKind = await request("GET", "/apis/example.com/v1/widgets");
    expect(unknownKind.status).toBe(404);
    expect(unknownKind.json()).toMatchObject({
      reason: "NotFound",
      message: "the server could not find the requested resource",
    });

    const method = await request("PUT", cms, { body: "{}" });
    expect(method.status).toBe(405);
    expect(method.json().reason).toBe("MethodNotAllowed");

    const wrongKind = await request("POST", cms, {
      body: JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" } }),
    });
    expect(wrongKind.status).toBe(400);

    const strict = await request("POST", `${cms}?fieldValidation=Strict`, {
      body: JSON.stringify({ metadata: { name: "s" }, data: {}, extra: 1 }),
    });
    expect(strict.status).toBe(400);
    expect(strict.json().message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra"',
    );

    const warn = await request("POST", cms, {
      body: JSON.stringify({ metadata: { name: "w" }, data: { k: "v" }, extra: 1 }),
    });
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"extra\\""');
    // Dropped, as decoding into the Go types does.
    expect(warn.json()).not.toHaveProperty("extra");
    expect(warn.json().data).toEqual({ k: "v" });
  });

  it("survives garbage on every kind of endpoint without a 5xx", async () => {
    const paths = [
      "/api",
      "/api/v1",
      "/apis/apps/v1",
      "/api/v1/namespaces/default/pods",
      "/api/v1/namespaces/default/pods/x",
      "/api/v1/namespaces/default/pods/x/status",
      "/api/v1/namespaces/default/pods/x/log",
      "/apis/apps/v1/namespaces/default/deployments/x/scale",
      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      "/apis/eci.alibabacloud.com/v1/imagecaches",
      "/api/v1/nodes/virtual-kubelet-cn-hangzhou-k",
      "/openapi/v3/api/v1",
    ];
    const bodies = [
      "",
      "null",
      "[]",
      "42",
      '"s"',
      "{",
      '{"metadata":null}',
      '{"metadata":{"name":5}}',
      '{"spec":[]}',
      '{"apiVersion":1,"kind":[]}',
      "\u0000\u0001",
      "a: b: c",
    ];
    const types = [
      "application/json",
      "application/yaml",
      "application/merge-patch+json",
      "application/strategic-merge-patch+json",
      "application/json-patch+json",
      "application/apply-patch+yaml",
      "application/vnd.kubernetes.protobuf",
    ];
    let n = 0;
    for (const p of paths) {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        for (let i = 0; i < 3; i++) {
          const body = bodies[(n * 7 + i) % bodies.length];
          const type = types[(n + i) % types.length];
          const q = i === 2 ? "?fieldManager=fuzz&labelSelector=a%20in%20(&limit=-1&watch=0" : "?fieldManager=fuzz";
          const r = await request(method, p + q, { body, headers: { "Content-Type": type } }).catch((e: Error) => {
            throw new Error(`${method} ${p}${q} ${type} ${JSON.stringify(body)}: ${e.message}`);
          });
          n++;
          expect(r.status, `${method} ${p}${q} ${type} ${JSON.stringify(body)}: ${r.text.slice(0, 200)}`).toBeLessThan(
            500,
          );
          if (r.status >= 400 && method !== "HEAD") expect(r.json().kind).toBe("Status");
        }
      }
    }
    expect((await request("GET", "/api/v1/namespaces")).status).toBe(200);
  });

  it("serves Tables, pages lists and marks the end of initial events with a bookmark", async () => {
    for (let i = 0; i < 5; i++) {
      await request("POST", "/api/v1/namespaces/default/configmaps", {
        body: JSON.stringify({ metadata: { name: `page-${i}`, labels: { page: "yes" } } }),
      });
    }
    const table = await request("GET", "/api/v1/namespaces/default/configmaps?labelSelector=page", {
      headers: {
        Accept:
          "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
      },
    });
    const tj = table.json() as {
      kind: string;
      columnDefinitions: Array<{ name: string }>;
      rows: Array<{ cells: unknown[]; object: { kind: string } }>;
    };
    expect(tj.kind).toBe("Table");
    expect(tj.columnDefinitions.map((c) => c.name)).toEqual(["Name", "Data", "Age"]);
    expect(tj.rows[0].cells.slice(0, 2)).toEqual(["page-0", 0]);
    expect(tj.rows[0].object.kind).toBe("PartialObjectMetadata");

    const p1 = (await request("GET", "/api/v1/namespaces/default/configmaps?labelSelector=page&limit=2")).json() as {
      metadata: { continue?: string };
      items: Array<{ metadata: { name: string } }>;
    };
    expect(p1.items.map((i) => i.metadata.name)).toEqual(["page-0", "page-1"]);
    const p2 = (
      await request(
        "GET",
        `/api/v1/namespaces/default/configmaps?labelSelector=page&limit=2&continue=${encodeURIComponent(p1.metadata.continue!)}`,
      )
    ).json() as { items: Array<{ metadata: { name: string } }> };
    expect(p2.items.map((i) => i.metadata.name)).toEqual(["page-2", "page-3"]);

    const w = await request(
      "GET",
      "/api/v1/namespaces/default/configmaps?watch=1&labelSelector=page&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=5",
      { untilLines: 7 },
    );
    const events = w.text
      .split("\n")
      .filter(Boolean)
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            object: { metadata: { name?: string; annotations?: Record<string, string> } };
          },
      );
    expect(events.slice(0, 5).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      "ADDED page-0",
      "ADDED page-1",
      "ADDED page-2",
      "ADDED page-3",
      "ADDED page-4",
    ]);
    expect(events[5].type).toBe("BOOKMARK");
    expect(events[5].object.metadata.annotations).toEqual({ "k8s.io/initial-events-end": "true" });
    expect(events[6].type).toBe("BOOKMARK");
    // The client hung up: its watcher is gone from the store.
    await until("watcher cleanup", () => t.cluster.store.watcherCount() === 0);
  });

  it("watches a single object by name, also on the legacy /watch/ path", async () => {
    // Its own objects, so it does not depend on another test having run first.
    for (const name of ["solo-watched", "solo-other"]) {
      const created = await request("POST", "/api/v1/namespaces/default/configmaps", {
        body: JSON.stringify({ metadata: { name } }),
      });
      expect(created.status).toBe(201);
    }
    const rv = t.cluster.store.resourceVersion;
    const watchers = t.cluster.store.watcherCount();
    // timeoutSeconds bounds each watch: a missed event fails the assertion below instead of hanging.
    const pending = Promise.all([
      request(
        "GET",
        `/api/v1/namespaces/default/configmaps/solo-watched?watch=1&resourceVersion=${rv}&timeoutSeconds=10`,
        {
          untilLines: 1,
        },
      ),
      request(
        "GET",
        `/api/v1/watch/namespaces/default/configmaps/solo-watched?resourceVersion=${rv}&timeoutSeconds=10`,
        {
          untilLines: 1,
        },
      ),
    ]);
    await until("both watches", () => t.cluster.store.watcherCount() === watchers + 2);
    for (const name of ["solo-other", "solo-watched"]) {
      const patched = await request("PATCH", `/api/v1/namespaces/default/configmaps/${name}`, {
        body: JSON.stringify({ data: { x: "1" } }),
        headers: { "Content-Type": "application/merge-patch+json" },
      });
      expect(patched.status).toBe(200);
    }
    for (const r of await pending) {
      const ev = JSON.parse(r.text.split("\n")[0] || "{}") as {
        type?: string;
        object?: { metadata: { name: string } };
      };
      expect(`${ev.type} ${ev.object?.metadata.name}`).toBe("MODIFIED solo-watched");
    }
  });

  it("closes a watch after timeoutSeconds", async () => {
    const started = Date.now();
    const w = await request(
      "GET",
      "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" +
        t.cluster.store.resourceVersion +
        "&timeoutSeconds=1",
    );
    expect(w.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(w.text).toBe("");
  });

  it("reads boolean query parameters as kube-apiserver's codec does: only 0 and false (any case) are false", async () => {
    const rv = t.cluster.store.resourceVersion;
    const watches = async (value: string) => {
      const r = await request(
        "GET",
        `/api/v1/namespaces/default/configmaps?watch=${value}&resourceVersion=${rv}&timeoutSeconds=1`,
      );
      // A watch answers a stream of events (none here); a list answers one ConfigMapList.
      return !r.text.includes('"kind":"ConfigMapList"');
    };
    // The official Python client sends watch=True.
    expect(await watches("True")).toBe(true);
    expect(await watches("1")).toBe(true);
    expect(await watches("yes")).toBe(true);
    expect(await watches("FALSE")).toBe(false);
    expect(await watches("0")).toBe(false);
  });

  it("refuses integer query parameters strconv.ParseInt would refuse, and log options ValidatePodLogOptions would", async () => {
    const bad = await request("GET", "/api/v1/namespaces/default/configmaps?limit=1e3");
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({
      reason: "BadRequest",
      message: 'strconv.ParseInt: parsing "1e3": invalid syntax',
    });
    expect((await request("GET", "/api/v1/namespaces/default/configmaps?limit=%2B2")).status).toBe(200);
    t.cluster.store.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "log-options", namespace: "default" },
      spec: { nodeName: "virtual-kubelet-cn-hangzhou-k", containers: [{ name: "main", image: "alpine" }] },
    });
    const tail = await request("GET", "/api/v1/namespaces/default/pods/log-options/log?tailLines=-1");
    expect(tail.status).toBe(422);
    expect(tail.json()).toMatchObject({
      reason: "Invalid",
      message:
        'PodLogOptions "log-options" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    });
    const both = await request(
      "GET",
      "/api/v1/namespaces/default/pods/log-options/log?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z",
    );
    expect(both.status).toBe(422);
  });
});
