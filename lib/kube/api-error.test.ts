import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { apiErrorMessage, apiStatusMessage, errorStatus, isUnservedKindMessage, unlessNotFound } from "./api-error";

const status = (code: number, message: string) =>
  JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message, reason: "Forbidden", code });

describe("apiErrorMessage", () => {
  it.each([
    [
      "the Status message from a JSON body",
      new ApiException(
        403,
        "Unsuccessful HTTP Request",
        status(403, 'roles.rbac.authorization.k8s.io "r" is forbidden'),
        {},
      ),
      'roles.rbac.authorization.k8s.io "r" is forbidden',
    ],
    [
      "a parsed Status body",
      new ApiException(422, "x", { message: 'Deployment.apps "d" is invalid' }, {}),
      'Deployment.apps "d" is invalid',
    ],
    ["a plain-text body", new ApiException(502, "x", "bad gateway", {}), "bad gateway"],
    ["a plain error", new Error("connect ECONNREFUSED 127.0.0.1:6443"), "connect ECONNREFUSED 127.0.0.1:6443"],
  ])("%s", (_name, error, expected) => {
    expect(apiErrorMessage(error)).toBe(expected);
  });

  it("leaves response headers out of an error without a body", () => {
    const error = new ApiException(500, "Unsuccessful HTTP Request", undefined, { "x-internal": "secret-host" });
    const message = apiErrorMessage(error);
    expect(message).toBe("HTTP 500: Unsuccessful HTTP Request");
    expect(message).not.toContain("secret-host");
  });
});

describe("apiStatusMessage", () => {
  it.each([
    ["a Status as JSON text", { body: status(404, 'pods "p" not found') }, 'pods "p" not found'],
    ["a parsed Status", { body: { message: "conflict" } }, "conflict"],
    ["plain text is not a Status", { body: "<html>bad gateway</html>" }, undefined],
    ["JSON without a message", { body: '{"kind":"Status"}' }, undefined],
    ["an empty message", { body: { message: "" } }, undefined],
    ["no body", new Error("x"), undefined],
    ["not an object", null, undefined],
  ])("%s", (_name, error, expected) => {
    expect(apiStatusMessage(error)).toBe(expected);
  });

  it("leaves apiErrorMessage on the error's own text when a JSON body has no message", () => {
    expect(apiErrorMessage(new ApiException(500, "Unsuccessful HTTP Request", '{"kind":"Status"}', {}))).toBe(
      "HTTP 500: Unsuccessful HTTP Request",
    );
  });
});

describe("errorStatus", () => {
  it("reads the HTTP code of an ApiException and nothing else", () => {
    expect(errorStatus(new ApiException(404, "x", "", {}))).toBe(404);
    expect(errorStatus(new Error("x"))).toBeUndefined();
    expect(errorStatus(null)).toBeUndefined();
  });
});

describe("isUnservedKindMessage", () => {
  it.each([
    [
      "client-node's discovery of an unknown kind",
      new Error("Unrecognized API version and kind: eci.alibabacloud.com/v1 ImageCache"),
      true,
    ],
    [
      "a failed resource lookup",
      new Error("Failed to fetch resource metadata for eci.alibabacloud.com/v1/ImageCache: HTTP-Code: 404"),
      true,
    ],
    [
      "a 404 of one object",
      new ApiException(404, "x", status(404, 'imagecaches.eci.alibabacloud.com "c" not found'), {}),
      false,
    ],
    [
      "a forbidden apply",
      new ApiException(403, "x", status(403, 'roles.rbac.authorization.k8s.io "r" is forbidden'), {}),
      false,
    ],
  ])("%s: %s", (_name, error, expected) => {
    expect(isUnservedKindMessage(apiErrorMessage(error))).toBe(expected);
  });
});

describe("unlessNotFound", () => {
  it("answers the result, undefined for a 404, and rethrows anything else", async () => {
    await expect(unlessNotFound(Promise.resolve("live"))).resolves.toBe("live");
    await expect(
      unlessNotFound(Promise.reject(new ApiException(404, "x", status(404, "not found"), {}))),
    ).resolves.toBeUndefined();
    const forbidden = new ApiException(403, "x", status(403, "forbidden"), {});
    await expect(unlessNotFound(Promise.reject(forbidden))).rejects.toBe(forbidden);
  });
});
