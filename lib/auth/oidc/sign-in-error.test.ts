import { describe, expect, it } from "vitest";
import { classifySignInError, signInErrorDetail } from "./sign-in-error";

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
    ["anything else", new Error("boom"), "provider"],
    ["a non-error", "weird", "provider"],
  ])("%s", (_name, error, expected) => {
    expect(classifySignInError(error)).toBe(expected);
  });
});

describe("signInErrorDetail", () => {
  it("gives the innermost message", () => {
    const error = wrapped(Object.assign(new Error('unexpected "state" response parameter value'), { cause: {} }));
    expect(signInErrorDetail(error)).toBe('unexpected "state" response parameter value');
  });
});
