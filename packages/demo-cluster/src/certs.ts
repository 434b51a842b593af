import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import path from "node:path";
import selfsigned from "selfsigned";

export interface ClusterCerts {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const FILES = { ca: "ca.crt", caKey: "ca.key", cert: "apiserver.crt", key: "apiserver.key" };

function years(n: number): Date {
  const d = new Date();
  d.setFullYear(d.getFullYear() + n);
  return d;
}

async function generate(): Promise<ClusterCerts & { caKeyPem: string }> {
  const ca = await selfsigned.generate([{ name: "commonName", value: "ask-ci-demo-cluster-ca" }], {
    keyType: "ec",
    algorithm: "sha256",
    notAfterDate: years(10),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await selfsigned.generate([{ name: "commonName", value: "kube-apiserver" }], {
    keyType: "ec",
    algorithm: "sha256",
    notAfterDate: years(5),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 2, value: "kubernetes" },
          { type: 2, value: "kubernetes.default.svc" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { caPem: ca.cert, caKeyPem: ca.private, certPem: server.cert, keyPem: server.private };
}

function stillValid(certPem: string): boolean {
  try {
    return new Date(new X509Certificate(certPem).validTo).getTime() > Date.now() + 24 * 3600 * 1000;
  } catch {
    return false;
  }
}

/** Loads the CA and serving certificate from the state dir, creating them on first start. */
export async function loadOrCreateCerts(stateDir: string | undefined): Promise<ClusterCerts> {
  if (stateDir) {
    const p = (f: string) => path.join(stateDir, f);
    if (existsSync(p(FILES.ca)) && existsSync(p(FILES.cert)) && existsSync(p(FILES.key))) {
      const certs = {
        caPem: readFileSync(p(FILES.ca), "utf8"),
        certPem: readFileSync(p(FILES.cert), "utf8"),
        keyPem: readFileSync(p(FILES.key), "utf8"),
      };
      if (stillValid(certs.certPem)) return certs;
    }
  }
  const certs = await generate();
  if (stateDir) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(path.join(stateDir, FILES.ca), certs.caPem);
    writeFileSync(path.join(stateDir, FILES.caKey), certs.caKeyPem, { mode: 0o600 });
    writeFileSync(path.join(stateDir, FILES.cert), certs.certPem);
    writeFileSync(path.join(stateDir, FILES.key), certs.keyPem, { mode: 0o600 });
  }
  return { caPem: certs.caPem, certPem: certs.certPem, keyPem: certs.keyPem };
}
