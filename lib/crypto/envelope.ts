import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { z } from "zod";

/**
 * AES-256-GCM envelopes, pure: the key is a parameter. The key file / environment handling lives in
 * encryption.server.ts so these functions can be tested (and used by the rotation script) directly.
 */

export const ENVELOPE_VERSION = 1;
const IV_BYTES = 12;

const envelopeSchema = z.object({
  version: z.literal(ENVELOPE_VERSION),
  algorithm: z.literal("aes-256-gcm"),
  keyId: z.string().min(1),
  iv: z.string().min(1),
  tag: z.string().min(1),
  ciphertext: z.string(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

export class DecryptionError extends Error {
  override name = "DecryptionError";
}

/** A short, non-secret identifier of a key: lets an error say *which* key an envelope needs. */
export function keyFingerprint(key: Buffer): string {
  return createHash("sha256").update("ask-ci key id").update(key).digest("hex").slice(0, 16);
}

export function encryptWithKey(value: unknown, key: Buffer): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const kid = keyFingerprint(key);
  // The key id is authenticated too, so an envelope cannot be relabelled for another key.
  cipher.setAAD(Buffer.from(kid));
  const plaintext = Buffer.from(JSON.stringify(value ?? null), "utf8");
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const envelope: Envelope = {
    version: ENVELOPE_VERSION,
    algorithm: "aes-256-gcm",
    keyId: kid,
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    ciphertext: ct.toString("base64"),
  };
  return JSON.stringify(envelope);
}

export function decryptWithKey<T>(text: string, key: Buffer): T {
  assertKey(key);
  const envelope = parseEnvelope(text);
  const kid = keyFingerprint(key);
  if (envelope.keyId !== kid) {
    throw new DecryptionError(
      `cannot decrypt: the key (id ${kid}) does not match the key these credentials were encrypted with (id ${envelope.keyId}). ` +
        "Set ASK_CI_SECRET_KEY (or ASK_CI_SECRET_KEY_FILE) to the original key, or re-enter the credentials.",
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(envelope.iv, "base64"));
    decipher.setAAD(Buffer.from(envelope.keyId));
    decipher.setAuthTag(Buffer.from(envelope.tag, "base64"));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, "base64")), decipher.final()]);
    return JSON.parse(plaintext.toString("utf8")) as T;
  } catch {
    throw new DecryptionError(
      `cannot decrypt: the stored envelope (key id ${envelope.keyId}) failed authentication; it was modified or is corrupt`,
    );
  }
}

/** The key id an envelope was sealed with, or null for text that is not an envelope. */
export function envelopeKeyId(text: string): string | null {
  try {
    return parseEnvelope(text).keyId;
  } catch {
    return null;
  }
}

function parseEnvelope(text: string): Envelope {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DecryptionError("cannot decrypt: the stored value is not an encryption envelope");
  }
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success)
    throw new DecryptionError("cannot decrypt: the stored value is not a version 1 AES-256-GCM envelope");
  return parsed.data;
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new Error(`an AES-256 key is 32 bytes, got ${key.length}`);
}
