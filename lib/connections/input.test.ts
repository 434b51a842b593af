import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { credentialsInputSchema, fieldErrorsOf, createConnectionSchema } from "@/lib/validations/connection";
import { targetFromInput } from "./input";
import { expectOk } from "@/tests/expect-ok";

const kubeconfig = stringify({
  clusters: [{ name: "c", cluster: { server: "https://k.example:6443", "insecure-skip-tls-verify": true } }],
  users: [{ name: "u", user: { token: "t0k3n" } }],
  contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
});

const parse = (input: unknown) => credentialsInputSchema.parse(input);

describe("targetFromInput", () => {
  it("does not carry a kubeconfig's insecure-skip-tls-verify over: skipping is the form's explicit choice", () => {
    expect(targetFromInput(parse({ method: "kubeconfig", kubeconfig }))).toMatchObject({
      ok: true,
      value: { skipTlsVerify: false },
    });
    expect(targetFromInput(parse({ method: "kubeconfig", kubeconfig, skipTlsVerify: true }))).toMatchObject({
      ok: true,
      value: { skipTlsVerify: true },
    });
  });

  it.each([
    [
      { method: "token", server: " https://k.example ", token: " abc ", caCertificate: "  " },
      { server: "https://k.example", authType: "token", credentials: { token: "abc" } },
    ],
    [
      { method: "token", server: "https://k.example", token: "abc", caCertificate: "PEM" },
      { authType: "token", credentials: { token: "abc", caCertificate: "PEM\n" } },
    ],
    [
      { method: "certificate", server: "https://k.example", clientCertificate: "CERT", clientKey: "KEY" },
      { authType: "client-certificate", credentials: { clientCertificate: "CERT\n", clientKey: "KEY\n" } },
    ],
  ])("maps %j", (input, expected) => {
    const result = targetFromInput(parse(input));
    const target = expectOk(result);
    expect(target).toMatchObject(expected);
    if (!("caCertificate" in (expected.credentials ?? {}))) expect(target.credentials.caCertificate).toBeUndefined();
  });
});

describe("connection form validation", () => {
  it.each([
    [{ name: "", credentials: { method: "token", server: "https://x", token: "t" } }, { name: "nameRequired" }],
    [{ name: "-bad", credentials: { method: "token", server: "https://x", token: "t" } }, { name: "nameInvalid" }],
    [
      { name: "x".repeat(64), credentials: { method: "token", server: "https://x", token: "t" } },
      { name: "nameTooLong" },
    ],
    [
      { name: "杭州 集群", credentials: { method: "token", server: "", token: "" } },
      { server: "serverRequired", token: "tokenRequired" },
    ],
    [{ name: "ok", credentials: { method: "kubeconfig", kubeconfig: "" } }, { kubeconfig: "kubeconfigRequired" }],
    [
      { name: "ok", credentials: { method: "kubeconfig", kubeconfig: "é".repeat(140 * 1024) } },
      { kubeconfig: "kubeconfigTooLarge" },
    ],
    [
      { name: "ok", credentials: { method: "certificate", server: "https://x", clientCertificate: "", clientKey: "" } },
      { clientCertificate: "clientCertificateRequired", clientKey: "clientKeyRequired" },
    ],
    [{ name: "ok", credentials: { method: "carrier-pigeon" } }, { method: "invalid" }],
    [
      { name: 42, credentials: null },
      { name: "invalid", form: "invalid" },
    ],
  ])("%j → %j", (input, expected) => {
    const result = createConnectionSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrorsOf(result.error)).toEqual(expected);
  });

  it("accepts names in any script", () => {
    expect(
      createConnectionSchema.safeParse({
        name: "杭州 集群-1",
        credentials: { method: "token", server: "https://x", token: "t" },
      }).success,
    ).toBe(true);
  });
});
