import { describe, expect, it } from "vitest";
import { classifyNetworkError } from "./kube-request.server";

const error = (code?: string) => Object.assign(new Error("x"), code ? { code } : {});

describe("classifyNetworkError", () => {
  it.each([
    ["SELF_SIGNED_CERT_IN_CHAIN", "tlsUntrusted"],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "tlsUntrusted"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "tlsUntrusted"],
    ["CERT_HAS_EXPIRED", "tlsCertificateExpired"],
    ["CERT_NOT_YET_VALID", "tlsCertificateExpired"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "tlsHostnameMismatch"],
    ["ETIMEDOUT", "timeout"],
    ["ECONNREFUSED", "unreachable"],
    ["ENOTFOUND", "unreachable"],
    ["EHOSTUNREACH", "unreachable"],
    ["EPROTO", "tlsFailed"],
    ["ERR_SSL_WRONG_VERSION_NUMBER", "tlsFailed"],
    ["ERR_OSSL_PEM_NO_START_LINE", "tlsFailed"],
    ["SOMETHING_NEW", "unreachable"],
  ])("%s → %s, keeping only the code", (code, expected) => {
    const problem = classifyNetworkError(error(code));
    expect(problem.code).toBe(expected);
    if (problem.params?.detail !== undefined) expect(problem.params.detail).toBe(code);
  });

  it("copes with errors without a code and with non-errors", () => {
    expect(classifyNetworkError(error()).code).toBe("unreachable");
    expect(classifyNetworkError(undefined).code).toBe("unreachable");
  });
});
