import "server-only";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { decodeKey } from "@/lib/env";
import { env } from "@/lib/env.server";
import { decryptWithKey, encryptWithKey } from "./envelope";

export { DecryptionError } from "./envelope";

let cachedKey: Buffer | undefined;

/**
 * The master key: ASK_CI_SECRET_KEY, else the key file (env().secretKeyFile), created with mode 0600
 * on first use so an embedded install works without configuration. Its path is printed once, when
 * it is created, because losing it makes every stored credential unreadable.
 */
export function secretKey(log: (line: string) => void = console.log): Buffer {
  if (cachedKey) return cachedKey;
  const { ASK_CI_SECRET_KEY, secretKeyFile } = env();
  cachedKey = ASK_CI_SECRET_KEY ? decodeKey(ASK_CI_SECRET_KEY)! : readOrCreateKeyFile(path.resolve(secretKeyFile), log);
  return cachedKey;
}

/** Seals any JSON value in an AES-256-GCM envelope (a JSON string safe to store). */
export function encryptJson(value: unknown): string {
  return encryptWithKey(value, secretKey());
}

/** Opens an envelope made by encryptJson; throws DecryptionError for a wrong key or a tampered envelope. */
export function decryptJson<T>(envelope: string): T {
  return decryptWithKey<T>(envelope, secretKey());
}

export function readOrCreateKeyFile(file: string, log: (line: string) => void): Buffer {
  if (fs.existsSync(file)) {
    const key = decodeKey(fs.readFileSync(file, "utf8"));
    if (!key) throw new Error(`The secret key file ${file} does not hold a 32-byte key (64 hex characters or base64)`);
    return key;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  try {
    // "wx": when two processes start at once, exactly one creates the file and the other reads it.
    fs.writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readOrCreateKeyFile(file, log);
    throw error;
  }
  log(
    `ask-ci: created the credential encryption key ${file} (mode 0600); back it up — without it stored credentials cannot be read`,
  );
  return key;
}
