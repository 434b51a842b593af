import { describe, expect, it } from "vitest";
import { networkFailure } from "./network-errors";

describe("networkFailure", () => {
  it.each([
    ["SELF_SIGNED_CERT_IN_CHAIN", "tlsUntrusted"],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "tlsUntrusted"],
    ["CERT_HAS_EXPIRED", "tlsCertificateExpired"],
    ["CERT_NOT_YET_VALID", "tlsCertificateExpired"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "tlsHostnameMismatch"],
    ["ERR_SSL_WRONG_VERSION_NUMBER", "tlsFailed"],
    ["EPROTO", "tlsFailed"],
    ["ETIMEDOUT", "timeout"],
    ["ESOCKETTIMEDOUT", "timeout"],
    ["ECONNREFUSED", "unreachable"],
    ["ENOTFOUND", "unreachable"],
    ["", "unreachable"],
    ["SOMETHING_NEW", "unreachable"],
  ])("%s → %s", (code, failure) => {
    expect(networkFailure(code)).toBe(failure);
  });
});
