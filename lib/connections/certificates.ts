import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { problem } from "./problems";
import { fail, ok, type ConnectionTarget, type Result } from "./target";

/**
 * Checks what can be checked without contacting the server: an https URL, parseable PEM, a client
 * certificate within its validity period whose key matches. Returns the CA fingerprint to display.
 */
export function checkTargetOffline(
  target: ConnectionTarget,
  now = new Date(),
): Result<{ caFingerprint: string | null }> {
  const url = checkServerUrl(target.server);
  if (!url.ok) return url;

  let caFingerprint: string | null = null;
  if (target.credentials.caCertificate) {
    const ca = parseCertificate(target.credentials.caCertificate);
    if (!ca) return fail(problem("invalidCaCertificate", undefined, "caCertificate"));
    caFingerprint = ca.fingerprint256;
  }

  if (target.authType === "token") {
    if (!target.credentials.token) return fail(problem("noCredentials", undefined, "token"));
    return ok({ caFingerprint });
  }

  const { clientCertificate, clientKey } = target.credentials;
  const certificate = clientCertificate ? parseCertificate(clientCertificate) : null;
  if (!certificate) return fail(problem("invalidClientCertificate", undefined, "clientCertificate"));
  const key = clientKey ? parseKey(clientKey) : null;
  if (!key) return fail(problem("invalidClientKey", undefined, "clientKey"));
  if (!certificate.checkPrivateKey(key)) return fail(problem("keyMismatch", undefined, "clientKey"));
  if (new Date(certificate.validTo) < now) {
    return fail(
      problem("certificateExpired", { notAfter: new Date(certificate.validTo).toISOString() }, "clientCertificate"),
    );
  }
  if (new Date(certificate.validFrom) > now) {
    return fail(
      problem(
        "certificateNotYetValid",
        { notBefore: new Date(certificate.validFrom).toISOString() },
        "clientCertificate",
      ),
    );
  }
  return ok({ caFingerprint });
}

export function checkServerUrl(server: string): Result<URL> {
  let url: URL;
  try {
    url = new URL(server.trim());
  } catch {
    return fail(problem("invalidUrl", undefined, "server"));
  }
  // Credentials over plain http would be readable on the wire.
  if (url.protocol !== "https:")
    return fail(problem("notHttps", { protocol: url.protocol.replace(":", "") }, "server"));
  if (url.username || url.password || url.search || url.hash) return fail(problem("invalidUrl", undefined, "server"));
  return ok(url);
}

function parseCertificate(pem: string): X509Certificate | null {
  try {
    return new X509Certificate(pem);
  } catch {
    return null;
  }
}

function parseKey(pem: string): KeyObject | null {
  try {
    return createPrivateKey(pem);
  } catch {
    return null;
  }
}
