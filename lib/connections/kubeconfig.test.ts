import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { MAX_KUBECONFIG_BYTES, summarizeKubeconfig, targetFromKubeconfig } from "./kubeconfig";
import { expectOk } from "@/tests/expect-ok";

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const b64 = (text: string) => Buffer.from(text).toString("base64");

function kubeconfig(
  overrides: { cluster?: object; user?: object; currentContext?: string | null; extraContexts?: object[] } = {},
) {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "c1",
        cluster: { server: "https://10.0.0.1:6443", "certificate-authority-data": b64(CA), ...overrides.cluster },
      },
    ],
    users: [{ name: "u1", user: overrides.user ?? { token: "token-123" } }],
    contexts: [
      { name: "ctx1", context: { cluster: "c1", user: "u1", namespace: "gitlab-runner" } },
      ...(overrides.extraContexts ?? []),
    ],
    ...(overrides.currentContext === null ? {} : { "current-context": overrides.currentContext ?? "ctx1" }),
  });
}

describe("targetFromKubeconfig", () => {
  it("reads a token user with an inline CA", () => {
    const result = targetFromKubeconfig(kubeconfig());
    expect(result).toEqual({
      ok: true,
      value: {
        server: "https://10.0.0.1:6443",
        skipTlsVerify: false,
        authType: "token",
        credentials: { token: "token-123", caCertificate: CA },
      },
    });
  });

  it("reads a client-certificate user, the TLS server name and the skip-verify flag", () => {
    const text = kubeconfig({
      cluster: { "tls-server-name": "kubernetes", "insecure-skip-tls-verify": true },
      user: { "client-certificate-data": b64("CERT"), "client-key-data": b64("KEY") },
    });
    const result = targetFromKubeconfig(text);
    expect(result.ok && result.value).toEqual({
      server: "https://10.0.0.1:6443",
      skipTlsVerify: true,
      authType: "client-certificate",
      credentials: { caCertificate: CA, tlsServerName: "kubernetes", clientCertificate: "CERT", clientKey: "KEY" },
    });
  });

  it("uses the chosen context over current-context", () => {
    const text = stringify({
      clusters: [
        { name: "a", cluster: { server: "https://a.example:6443" } },
        { name: "b", cluster: { server: "https://b.example:6443" } },
      ],
      users: [{ name: "u", user: { token: "t" } }],
      contexts: [
        { name: "A", context: { cluster: "a", user: "u" } },
        { name: "B", context: { cluster: "b", user: "u" } },
      ],
      "current-context": "A",
    });
    expect(targetFromKubeconfig(text, "B")).toMatchObject({ ok: true, value: { server: "https://b.example:6443" } });
    expect(targetFromKubeconfig(text)).toMatchObject({ ok: true, value: { server: "https://a.example:6443" } });
  });

  it("accepts JSON kubeconfigs", () => {
    const text = JSON.stringify({
      clusters: [{ name: "c", cluster: { server: "https://k.example" } }],
      users: [{ name: "u", user: { token: "t" } }],
      contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
    });
    expect(targetFromKubeconfig(text)).toMatchObject({
      ok: true,
      value: { server: "https://k.example", credentials: { token: "t" } },
    });
  });

  it.each([
    ["malformed YAML", "clusters: [\n  - name: a\n    cluster: {server: x", undefined, "malformedYaml"],
    ["a YAML scalar", "just some text", undefined, "notKubeconfig"],
    ["another kind of object", stringify({ kind: "Pod", metadata: { name: "x" } }), undefined, "notKubeconfig"],
    ["a map without contexts", stringify({ metadata: { name: "x" } }), undefined, "noContexts"],
    ["a wrong kind", stringify({ kind: "Secret", contexts: [] }), undefined, "notKubeconfig"],
    ["no contexts", stringify({ clusters: [], users: [], contexts: [] }), undefined, "noContexts"],
    ["a missing context", kubeconfig(), "prod", "contextNotFound"],
    [
      "several contexts and no current one",
      kubeconfig({ currentContext: null, extraContexts: [{ name: "ctx2", context: { cluster: "c1", user: "u1" } }] }),
      undefined,
      "contextRequired",
    ],
    [
      "a context naming a missing cluster",
      kubeconfig({ extraContexts: [{ name: "bad", context: { cluster: "nope", user: "u1" } }] }),
      "bad",
      "clusterNotFound",
    ],
    [
      "a context naming a missing user",
      kubeconfig({ extraContexts: [{ name: "bad", context: { cluster: "c1", user: "nope" } }] }),
      "bad",
      "userNotFound",
    ],
    [
      "an exec user",
      kubeconfig({ user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aliyun" } } }),
      undefined,
      "execUnsupported",
    ],
    [
      "an auth-provider user",
      kubeconfig({ user: { "auth-provider": { name: "oidc" } } }),
      undefined,
      "authProviderUnsupported",
    ],
    ["basic auth", kubeconfig({ user: { username: "admin", password: "pw" } }), undefined, "basicAuthUnsupported"],
    ["a user without credentials", kubeconfig({ user: {} }), undefined, "noCredentials"],
    [
      "a CA file path",
      kubeconfig({
        cluster: { "certificate-authority-data": undefined, "certificate-authority": "/home/me/.kube/ca.crt" },
      }),
      undefined,
      "fileReference",
    ],
    [
      "a client certificate file path",
      kubeconfig({ user: { "client-certificate": "/a.crt", "client-key": "/a.key" } }),
      undefined,
      "fileReference",
    ],
    ["a token file", kubeconfig({ user: { tokenFile: "/var/run/token" } }), undefined, "fileReference"],
    ["too large", "#".repeat(MAX_KUBECONFIG_BYTES + 1), undefined, "tooLarge"],
  ])("refuses %s", (_case, text, context, code) => {
    const result = targetFromKubeconfig(text, context);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem.code).toBe(code);
  });

  it("refuses an alias bomb instead of expanding it", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 12; i++)
      lines.push(
        `${"b" + i}: &${"b" + i} [${Array(10)
          .fill(i === 0 ? "*a" : `*b${i - 1}`)
          .join(", ")}]`,
      );
    const result = targetFromKubeconfig(lines.join("\n"));
    expect(!result.ok && result.problem.code).toBe("malformedYaml");
  });

  it("names the line of a YAML error", () => {
    const result = targetFromKubeconfig("clusters:\n  - name: a\n  bad: : :\n");
    expect(!result.ok && result.problem.params?.line).toBeTypeOf("number");
  });
});

describe("summarizeKubeconfig", () => {
  it("lists contexts with their servers and no credentials", () => {
    const text = kubeconfig({ extraContexts: [{ name: "ctx2", context: { cluster: "c1", user: "u1" } }] });
    const result = summarizeKubeconfig(text);
    expect(result).toEqual({
      ok: true,
      value: {
        currentContext: "ctx1",
        contexts: [
          { name: "ctx1", cluster: "c1", user: "u1", namespace: "gitlab-runner", server: "https://10.0.0.1:6443" },
          { name: "ctx2", cluster: "c1", user: "u1", namespace: null, server: "https://10.0.0.1:6443" },
        ],
      },
    });
    expect(JSON.stringify(result)).not.toContain("token-123");
  });

  it("ignores a current-context that does not exist", () => {
    const result = summarizeKubeconfig(kubeconfig({ currentContext: "gone" }));
    expect(expectOk(result).currentContext).toBeNull();
  });
});
