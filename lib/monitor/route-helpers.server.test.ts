import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { kubeErrorResponse } from "./route-helpers.server";

const forbidden = JSON.stringify({ kind: "Status", message: 'pods "p" is forbidden: User "u" cannot get resource "pods"', reason: "Forbidden" });

describe("kubeErrorResponse", () => {
  it.each([
    ["a 403 with the API's Status", new ApiException(403, "HTTP-Code: 403", forbidden, {}), 403, `The cluster refused: ${JSON.parse(forbidden).message}`],
    ["a 401 is a refusal too", { code: 401, body: { message: "Unauthorized" } }, 403, "The cluster refused: Unauthorized"],
    ["a 404 keeps its status", { code: 404, body: { message: 'pods "p" not found' } }, 404, 'pods "p" not found'],
    ["statusCode of older errors", { statusCode: 409, body: { message: "conflict" } }, 409, "conflict"],
    ["a 400 keeps its status", { code: 400, body: '{"message":"bad"}' }, 400, "bad"],
    ["a 500 is the cluster's failure", { code: 500, body: { message: "etcd down" } }, 502, "etcd down"],
    ["a status without a Status body", { code: 503, body: "<html>gateway</html>" }, 502, "The cluster did not answer"],
    ["a network error names its first line", new Error("connect ECONNREFUSED 127.0.0.1:6443\nmore"), 502, "The cluster did not answer: connect ECONNREFUSED 127.0.0.1:6443"],
    ["anything else", "boom", 502, "The cluster did not answer"],
  ])("%s", async (_name, error, status, message) => {
    const response = kubeErrorResponse(error);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: message });
  });
});
