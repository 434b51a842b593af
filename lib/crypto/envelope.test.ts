import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecryptionError, decryptWithKey, encryptWithKey, envelopeKeyId, keyFingerprint } from "./envelope";

const key = randomBytes(32);
const otherKey = randomBytes(32);

describe("AES-256-GCM envelopes", () => {
  it("round-trip any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(decryptWithKey(encryptWithKey(value, key), key)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
  });

  it("hold no plain text and use a fresh IV every time", () => {
    const secret = { token: "sha256~super-secret-token-value" };
    const first = encryptWithKey(secret, key);
    const second = encryptWithKey(secret, key);
    expect(first).not.toContain("super-secret");
    expect(first).not.toEqual(second);
    const envelope = JSON.parse(first);
    expect(envelope).toMatchObject({ version: 1, algorithm: "aes-256-gcm", keyId: keyFingerprint(key) });
    expect(Buffer.from(envelope.iv, "base64")).toHaveLength(12);
    expect(Buffer.from(envelope.tag, "base64")).toHaveLength(16);
    expect(envelopeKeyId(first)).toBe(keyFingerprint(key));
  });

  it("refuse the wrong key with a clear DecryptionError", () => {
    const sealed = encryptWithKey({ token: "t" }, key);
    expect(() => decryptWithKey(sealed, otherKey)).toThrow(DecryptionError);
    expect(() => decryptWithKey(sealed, otherKey)).toThrow(/cannot decrypt: the key .* does not match/);
  });

  it.each([
    ["ciphertext", (e: Record<string, string>) => ({ ...e, ciphertext: flip(e.ciphertext) })],
    ["tag", (e: Record<string, string>) => ({ ...e, tag: flip(e.tag) })],
    ["iv", (e: Record<string, string>) => ({ ...e, iv: flip(e.iv) })],
  ])("detect a tampered %s", (_part, tamper) => {
    const sealed = JSON.parse(encryptWithKey({ token: "a-token" }, key));
    expect(() => decryptWithKey(JSON.stringify(tamper(sealed)), key)).toThrow(/failed authentication/);
  });

  it("detect an envelope relabelled with another key id", () => {
    const sealed = JSON.parse(encryptWithKey({ token: "a-token" }, key));
    const relabelled = JSON.stringify({ ...sealed, keyId: keyFingerprint(otherKey) });
    expect(() => decryptWithKey(relabelled, otherKey)).toThrow(DecryptionError);
  });

  it.each(["", "not json", "{}", JSON.stringify({ version: 2 }), '"token-in-plain-text"'])(
    "reject non-envelope %j",
    (text) => {
      expect(() => decryptWithKey(text, key)).toThrow(DecryptionError);
      expect(envelopeKeyId(text)).toBeNull();
    },
  );

  it("refuse keys that are not 32 bytes", () => {
    expect(() => encryptWithKey(1, randomBytes(16))).toThrow(/32 bytes/);
  });
});

function flip(base64: string): string {
  const bytes = Buffer.from(base64, "base64");
  bytes[0] ^= 0x01;
  return bytes.toString("base64");
}
