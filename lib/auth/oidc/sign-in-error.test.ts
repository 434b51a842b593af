import { describe, expect, it } from "vitest";
import { classifySignInError, isSignInError, signInErrorDetail } from "./sign-in-error";

const wrapped = (cause: object) =>
  Object.assign(new Error("invalid response encountered"), { name: "ClientError", cause });

describe("classifySignInError", () => {
  it.each([
    [
      "the user declining",
      Object.assign(new Error("x"), { name: "AuthorizationResponseError", error: "access_denied" }),
      "denied",
    ],
    [
      "another authorization error",
      Object.assign(new Error("x"), { name: "AuthorizationResponseError", error: "invalid_scope" }),
      "provider",
    ],
    [
      "a token endpoint error",
      Object.assign(new Error("x"), { name: "ResponseBodyError", error: "invalid_grant" }),
      "provider",
    ],
    [
      "a wrong state",
      wrapped(
        Object.assign(new Error('unexpected "state" response parameter value'), { code: "OAUTH_INVALID_RESPONSE" }),
      ),
      "state",
    ],
    [
      "a wrong nonce",
      wrapped(Object.assign(new Error("x"), { code: "OAUTH_JWT_CLAIM_COMPARISON_FAILED", cause: { claim: "nonce" } })),
      "nonce",
    ],
    [
      "a wrong audience",
      wrapped(Object.assign(new Error("x"), { code: "OAUTH_JWT_CLAIM_COMPARISON_FAILED", cause: { claim: "aud" } })),
      "token",
    ],
    [
      "an expired token",
      wrapped(Object.assign(new Error("x"), { code: "OAUTH_JWT_TIMESTAMP_CHECK_FAILED" })),
      "tokenExpired",
    ],
    [
      "a bad signature",
      wrapped(Object.assign(new Error("JWT signature verification failed"), { code: "OAUTH_INVALID_RESPONSE" })),
      "signature",
    ],
    ["an unknown key", wrapped(Object.assign(new Error("x"), { code: "OAUTH_KEY_SELECTION_FAILED" })), "signature"],
    ["an unreachable provider", new TypeError("fetch failed"), "unavailable"],
    ["any TypeError (undici's network failures)", new TypeError("terminated"), "unavailable"],
    ["a refused connection", new Error("connect ECONNREFUSED 127.0.0.1:443"), "unavailable"],
    ["an unknown host", new Error("getaddrinfo ENOTFOUND gitlab.invalid"), "unavailable"],
    ["a timeout", new Error("request timeout"), "unavailable"],
    ["a request that timed out", new Error("operation timed out"), "unavailable"],
    ["an aborted request", new Error("This operation was aborted"), "unavailable"],
    [
      "a userinfo challenge",
      Object.assign(new Error("x"), {
        name: "WWWAuthenticateChallengeError",
        code: "OAUTH_WWW_AUTHENTICATE_CHALLENGE",
      }),
      "provider",
    ],
    [
      "any other OAuth processing error",
      wrapped(Object.assign(new Error("x"), { code: "OAUTH_INVALID_RESPONSE" })),
      "token",
    ],
    [
      "a code that is not OAuth's",
      wrapped(Object.assign(new Error("x"), { code: "ERR_SOMETHING_OAUTH_" })),
      "provider",
    ],
    ["an error whose cause is null", Object.assign(new Error("boom"), { cause: null }), "provider"],
    ["anything else", new Error("boom"), "provider"],
    ["a non-error", "weird", "provider"],
  ])("%s", (_name, error, expected) => {
    expect(classifySignInError(error)).toBe(expected);
  });
});

describe("the error chain", () => {
  const nested = (depth: number, innermost: object): object =>
    depth === 0 ? innermost : Object.assign(new Error(`level ${depth}`), { cause: nested(depth - 1, innermost) });

  it("reads at most five errors deep", () => {
    const expired = Object.assign(new Error("x"), { code: "OAUTH_JWT_TIMESTAMP_CHECK_FAILED" });
    expect(classifySignInError(nested(4, expired))).toBe("tokenExpired");
    expect(classifySignInError(nested(5, expired))).toBe("provider");
  });

  it("ends on a cycle of causes", () => {
    const a: { name: string; message: string; cause?: unknown } = { name: "Error", message: "a" };
    a.cause = { name: "Error", message: "b", cause: a };
    expect(classifySignInError(a)).toBe("provider");
    expect(signInErrorDetail(a)).toBe("a");
  });
});

describe("isSignInError", () => {
  it("knows the login page's error codes and nothing else", () => {
    expect(isSignInError("nonce")).toBe(true);
    expect(isSignInError("disabled")).toBe(true);
    expect(isSignInError("Nonce")).toBe(false);
    expect(isSignInError("toString")).toBe(false);
    expect(isSignInError(undefined)).toBe(false);
    expect(isSignInError(["nonce"])).toBe(false);
  });
});

describe("signInErrorDetail", () => {
  it("is the text of what was thrown when it has no message", () => {
    expect(signInErrorDetail("weird")).toBe("weird");
    expect(signInErrorDetail(Object.assign(new Error("outer"), { cause: { code: "X" } }))).toBe("outer");
  });

  it("gives the innermost message", () => {
    const error = wrapped(Object.assign(new Error('unexpected "state" response parameter value'), { cause: {} }));
    expect(signInErrorDetail(error)).toBe('unexpected "state" response parameter value');
  });
});
