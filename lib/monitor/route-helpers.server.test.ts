import { ApiException } from "@kubernetes/client-node";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emptyDatabase, useFreshDatabase } from "@/tests/test-db";
import { podRefSchema, streamQuerySchema } from "./validation";

let helpers: typeof import("./route-helpers.server");

beforeAll(async () => {
  useFreshDatabase();
  helpers = await import("./route-helpers.server");
});

// No stored connection unless the test adds one.
beforeEach(async () => emptyDatabase((await import("@/lib/db.server")).db));

const forbidden = JSON.stringify({
  kind: "Status",
  message: 'pods "p" is forbidden: User "u" cannot get resource "pods"',
  reason: "Forbidden",
});

describe("kubeErrorResponse", () => {
  it.each([
    [
      "a 403 with the API's Status",
      new ApiException(403, "HTTP-Code: 403", forbidden, {}),
      403,
      `The cluster refused: ${JSON.parse(forbidden).message}`,
    ],
    [
      "a 401 is a refusal too",
      { code: 401, body: { message: "Unauthorized" } },
      403,
      "The cluster refused: Unauthorized",
    ],
    ["a 404 keeps its status", { code: 404, body: { message: 'pods "p" not found' } }, 404, 'pods "p" not found'],
    ["statusCode of older errors", { statusCode: 409, body: { message: "conflict" } }, 409, "conflict"],
    ["a 400 keeps its status", { code: 400, body: '{"message":"bad"}' }, 400, "bad"],
    [
      "a 422 keeps its status",
      { code: 422, body: { message: "spec.containers: Required value" } },
      422,
      "spec.containers: Required value",
    ],
    ["a 500 is the cluster's failure", { code: 500, body: { message: "etcd down" } }, 502, "etcd down"],
    ["a status without a Status body", { code: 503, body: "<html>gateway</html>" }, 502, "The cluster did not answer"],
    [
      "a network error names its first line",
      new Error("connect ECONNREFUSED 127.0.0.1:6443\nmore"),
      502,
      "The cluster did not answer: connect ECONNREFUSED 127.0.0.1:6443",
    ],
    ["anything else", "boom", 502, "The cluster did not answer"],
  ])("%s", async (_name, error, status, message) => {
    const response = helpers.kubeErrorResponse(error);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: message });
  });
});

describe("monitorTarget and monitorPodTarget", () => {
  const url = (query: string) => new Request(`http://localhost/api/monitor/x?${query}`);
  const pod = (namespace: string, name: string) => Promise.resolve({ namespace, name });
  const cluster = streamQuerySchema.pick({ cluster: true });

  it("answers 404 while no cluster is connected, and for an unknown name", async () => {
    for (const [query, error] of [
      ["", "No cluster is connected yet"],
      ["cluster=nope", 'No cluster connection named "nope"'],
    ]) {
      const target = await helpers.monitorTarget(url(query), streamQuerySchema);
      expect(target.error?.status).toBe(404);
      expect(await target.error?.json()).toEqual({ error });
    }
  });

  it("reads the query and the connection it names, and the pod from the route's params", async () => {
    const { db } = await import("@/lib/db.server");
    const connection = await db.connection.create({
      data: { name: "prod", server: "https://127.0.0.1:1", authType: "token", credentials: "unused" },
    });
    const target = await helpers.monitorTarget(url("cluster=prod&namespace=ci"), streamQuerySchema);
    if (target.error) throw new Error(await target.error.text());
    expect(target.query).toEqual({ cluster: "prod", namespace: "ci" });
    expect(target.connection?.id).toBe(connection.id);

    const podTarget = await helpers.monitorPodTarget(url("cluster=prod"), pod("ci", "runner-abc"), cluster);
    if (podTarget.error) throw new Error(await podTarget.error.text());
    expect(podTarget.pod).toEqual({ namespace: "ci", name: "runner-abc" });
    expect(podTarget.connection?.id).toBe(connection.id);
  });

  it("answers 422 for a bad query or a bad pod name, before looking up the connection", async () => {
    const badQuery = await helpers.monitorTarget(url("namespace=Not_A_Namespace"), streamQuerySchema);
    expect(badQuery.error?.status).toBe(422);
    expect(await badQuery.error?.json()).toMatchObject({
      error: "Invalid query",
      fields: { namespace: expect.any(String) },
    });

    expect(podRefSchema.safeParse({ namespace: "ci", name: "Bad Name" }).success).toBe(false);
    const badPod = await helpers.monitorPodTarget(url("cluster=nope"), pod("ci", "Bad Name"), cluster);
    expect(badPod.error?.status).toBe(422);
    expect(await badPod.error?.json()).toMatchObject({ error: "Invalid pod", fields: { name: expect.any(String) } });

    // A good pod name with a bad query: the query's 422, not a target without a connection.
    const podBadQuery = await helpers.monitorPodTarget(
      url("namespace=Not_A_Namespace"),
      pod("ci", "runner-abc"),
      streamQuerySchema,
    );
    expect(podBadQuery.error?.status).toBe(422);
    expect(await podBadQuery.error?.json()).toMatchObject({ error: "Invalid query" });
  });
});
