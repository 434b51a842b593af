import { beforeAll, describe, expect, it } from "vitest";
import { X509Certificate } from "node:crypto";
import { checkServerUrl, checkTargetOffline } from "./certificates";
import { createTestPki, type TestPki } from "./test-certificates";
import type { ConnectionTarget } from "./target";

let pki: TestPki;
let valid: { certPem: string; keyPem: string };
let other: { certPem: string; keyPem: string };

beforeAll(async () => {
  pki = await createTestPki();
  valid = await pki.client();
  other = await pki.client();
});

const tokenTarget = (overrides: Partial<ConnectionTarget> = {}): ConnectionTarget => ({
  server: "https://k8s.example:6443",
  skipTlsVerify: false,
  authType: "token",
  credentials: { token: "t", caCertificate: pki.caPem },
  ...overrides,
});

const certTarget = (clientCertificate: string, clientKey: string): ConnectionTarget => ({
  server: "https://k8s.example:6443",
  skipTlsVerify: false,
  authType: "client-certificate",
  credentials: { clientCertificate, clientKey, caCertificate: pki.caPem },
});

describe("checkServerUrl", () => {
  it.each([
    ["https://k8s.example:6443", null],
    ["https://10.0.0.1", null],
    ["  https://k8s.example/  ", null],
    ["http://k8s.example:6443", "notHttps"],
    ["ftp://k8s.example", "notHttps"],
    ["k8s.example:6443", "notHttps"],
    ["not a url", "invalidUrl"],
    ["", "invalidUrl"],
    ["https://user:pw@k8s.example", "invalidUrl"],
    ["https://k8s.example/?x=1", "invalidUrl"],
  ])("%j", (server, code) => {
    const result = checkServerUrl(server);
    expect(result.ok ? null : result.problem.code).toBe(code);
  });
});

describe("checkTargetOffline", () => {
  it("accepts a token with a CA and returns the CA fingerprint", () => {
    const result = checkTargetOffline(tokenTarget());
    expect(result).toEqual({ ok: true, value: { caFingerprint: new X509Certificate(pki.caPem).fingerprint256 } });
  });

  it("accepts a token without a CA (system trust store)", () => {
    expect(checkTargetOffline(tokenTarget({ credentials: { token: "t" } }))).toEqual({
      ok: true,
      value: { caFingerprint: null },
    });
  });

  it("accepts a valid client certificate with its key", () => {
    expect(checkTargetOffline(certTarget(valid.certPem, valid.keyPem)).ok).toBe(true);
  });

  it("refuses a token target without a token", () => {
    const result = checkTargetOffline(tokenTarget({ credentials: { caCertificate: pki.caPem } }));
    expect(!result.ok && result.problem).toMatchObject({ code: "noCredentials", field: "token" });
  });

  it("refuses a CA that is not a certificate", () => {
    const result = checkTargetOffline(tokenTarget({ credentials: { token: "t", caCertificate: "hello" } }));
    expect(!result.ok && result.problem).toMatchObject({ code: "invalidCaCertificate", field: "caCertificate" });
  });

  it.each([
    ["a certificate that is not PEM", () => certTarget("nope", valid.keyPem), "invalidClientCertificate"],
    ["a key that is not PEM", () => certTarget(valid.certPem, "nope"), "invalidClientKey"],
    ["a key of another certificate", () => certTarget(valid.certPem, other.keyPem), "keyMismatch"],
  ])("refuses %s", (_case, target, code) => {
    const result = checkTargetOffline(target());
    expect(!result.ok && result.problem.code).toBe(code);
  });

  it("refuses an expired client certificate, naming when it expired", async () => {
    const expired = await pki.client({
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2021-01-01T00:00:00Z"),
    });
    const result = checkTargetOffline(certTarget(expired.certPem, expired.keyPem));
    expect(!result.ok && result.problem).toMatchObject({
      code: "certificateExpired",
      params: { notAfter: "2021-01-01T00:00:00.000Z" },
    });
  });

  it("refuses a client certificate that is not valid yet", async () => {
    const future = await pki.client({
      notBefore: new Date(Date.now() + 86_400_000 * 30),
      notAfter: new Date(Date.now() + 86_400_000 * 60),
    });
    const result = checkTargetOffline(certTarget(future.certPem, future.keyPem));
    expect(!result.ok && result.problem.code).toBe("certificateNotYetValid");
  });

  it("refuses plain http before looking at credentials", () => {
    const result = checkTargetOffline(tokenTarget({ server: "http://k8s.example" }));
    expect(!result.ok && result.problem).toMatchObject({ code: "notHttps", field: "server" });
  });
});
