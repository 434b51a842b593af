import http from "node:http";
import https from "node:https";
import net from "node:net";
import selfsigned from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionTarget } from "@/lib/connections/target";

/**
 * The connection test against small local servers that misbehave the way real endpoints do:
 * expired or misnamed certificates, plain HTTP on the port, something that is not Kubernetes,
 * a 403, silence. Each must come back as its own problem code.
 */

let probe: typeof import("@/lib/connections/probe.server");
let caPem: string;
const servers: net.Server[] = [];

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

async function serverCertificate(
  options: { altName?: string; notBefore?: Date; notAfter?: Date },
  ca: { key: string; cert: string },
) {
  return selfsigned.generate([{ name: "commonName", value: "kube-apiserver" }], {
    keyType: "ec",
    algorithm: "sha256",
    ca,
    ...(options.notBefore ? { notBeforeDate: options.notBefore } : {}),
    ...(options.notAfter ? { notAfterDate: options.notAfter } : {}),
    extensions: [
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: options.altName ? [{ type: 2, value: options.altName }] : [{ type: 7, ip: "127.0.0.1" }],
      },
    ],
  });
}

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;
let ca: { key: string; cert: string };

async function httpsServer(handler: Handler, certificate?: { cert: string; private: string }) {
  const pair = certificate ?? (await serverCertificate({}, ca));
  return listen(https.createServer({ cert: pair.cert, key: pair.private }, handler));
}

const kubernetesLike: Handler = (request, response) => {
  response.setHeader("content-type", "application/json");
  if (request.url === "/version")
    return response.end(JSON.stringify({ gitVersion: "v1.30.0", platform: "linux/amd64" }));
  response.statusCode = 201;
  response.end(JSON.stringify({ status: { allowed: false } }));
};

const target = (port: number, overrides: Partial<ConnectionTarget> = {}): ConnectionTarget => ({
  server: `https://127.0.0.1:${port}`,
  skipTlsVerify: false,
  authType: "token",
  credentials: { token: "t", caCertificate: caPem },
  ...overrides,
});

beforeAll(async () => {
  const generated = await selfsigned.generate([{ name: "commonName", value: "test-ca" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  ca = { key: generated.private, cert: generated.cert };
  caPem = generated.cert;
  probe = await import("@/lib/connections/probe.server");
});

afterAll(async () => {
  for (const server of servers) {
    (server as http.Server).closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("probeHealth against misbehaving endpoints", () => {
  it("a well-behaved server is healthy, with its version and latency", async () => {
    const port = await httpsServer(kubernetesLike);
    const result = await probe.probeHealth(target(port));
    expect(result).toMatchObject({ ok: true, value: { serverVersion: "v1.30.0" } });
  });

  it("an expired server certificate", async () => {
    const port = await httpsServer(
      kubernetesLike,
      await serverCertificate({ notBefore: new Date("2020-01-01"), notAfter: new Date("2021-01-01") }, ca),
    );
    const result = await probe.probeHealth(target(port));
    expect(!result.ok && result.problem).toMatchObject({
      code: "tlsCertificateExpired",
      params: { detail: "CERT_HAS_EXPIRED" },
    });
  });

  it("a certificate for another host name", async () => {
    const port = await httpsServer(kubernetesLike, await serverCertificate({ altName: "other.example" }, ca));
    const result = await probe.probeHealth(target(port));
    expect(!result.ok && result.problem.code).toBe("tlsHostnameMismatch");
  });

  it("plain HTTP on the https port", async () => {
    const port = await listen(http.createServer(kubernetesLike));
    const result = await probe.probeHealth(target(port));
    expect(!result.ok && result.problem.code).toBe("tlsFailed");
  });

  it("a web server that is not Kubernetes", async () => {
    const port = await httpsServer((_request, response) => response.end("<html>hello</html>"));
    const result = await probe.probeHealth(target(port));
    expect(!result.ok && result.problem.code).toBe("notKubernetes");
  });

  it.each([
    [401, "unauthorized"],
    [403, "forbidden"],
    [503, "serverError"],
  ])("HTTP %i from the API server", async (status, code) => {
    const port = await httpsServer((request, response) => {
      if (request.url === "/version") return kubernetesLike(request, response);
      response.statusCode = status;
      response.end(JSON.stringify({ kind: "Status", code: status }));
    });
    const result = await probe.probeHealth(target(port));
    expect(!result.ok && result.problem.code).toBe(code);
  });

  it("a server that never answers", async () => {
    const port = await httpsServer(() => undefined);
    const result = await probe.probeHealth(target(port), 300);
    expect(!result.ok && result.problem.code).toBe("timeout");
  });

  it("skip TLS verify reaches a server whose CA is unknown", async () => {
    const port = await httpsServer(kubernetesLike);
    const untrusted = await probe.probeHealth(target(port, { credentials: { token: "t" } }));
    expect(!untrusted.ok && untrusted.problem.code).toBe("tlsUntrusted");
    const skipped = await probe.probeHealth(target(port, { credentials: { token: "t" }, skipTlsVerify: true }));
    expect(skipped.ok).toBe(true);
  });
});
