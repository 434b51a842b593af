import selfsigned from "selfsigned";

/** Throwaway certificates for tests: a CA, and client certificates signed by it. */
export interface TestPki {
  caPem: string;
  client: (options?: { notBefore?: Date; notAfter?: Date }) => Promise<{ certPem: string; keyPem: string }>;
}

export async function createTestPki(): Promise<TestPki> {
  const ca = await selfsigned.generate([{ name: "commonName", value: "test-ca" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return {
    caPem: ca.cert,
    client: async ({ notBefore, notAfter } = {}) => {
      const client = await selfsigned.generate([{ name: "commonName", value: "tester" }], {
        keyType: "ec",
        algorithm: "sha256",
        ca: { key: ca.private, cert: ca.cert },
        ...(notBefore ? { notBeforeDate: notBefore } : {}),
        ...(notAfter ? { notAfterDate: notAfter } : {}),
        extensions: [{ name: "extKeyUsage", clientAuth: true }],
      });
      return { certPem: client.cert, keyPem: client.private };
    },
  };
}

export const b64 = (text: string) => Buffer.from(text).toString("base64");
