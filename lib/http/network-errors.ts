// What a failed HTTPS request's Node error code means for the person who configured it: the
// cluster connection and the GitLab connection report the same causes, each on its own field.

const UNTRUSTED = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
]);

export type NetworkFailure =
  /** The server's certificate chains to no CA we trust: the CA certificate field is the fix. */
  "tlsUntrusted" | "tlsCertificateExpired" | "tlsHostnameMismatch" | "tlsFailed" | "timeout" | "unreachable";

/** Node's network/TLS error code → the failure the user can act on (anything unknown: unreachable). */
export function networkFailure(code: string): NetworkFailure {
  if (UNTRUSTED.has(code)) return "tlsUntrusted";
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") return "tlsCertificateExpired";
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return "tlsHostnameMismatch";
  if (code === "ETIMEDOUT" || code === "ESOCKETTIMEDOUT") return "timeout";
  if (code === "EPROTO" || code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS") || code.startsWith("ERR_OSSL"))
    return "tlsFailed";
  return "unreachable";
}
