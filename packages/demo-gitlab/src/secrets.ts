import crypto from "node:crypto";

/** Random secrets come from the OS, never from --seed: a replayable demo must not have guessable tokens. */
function randomToken(prefix: string, bytes = 20): string {
  return (
    prefix +
    crypto
      .randomBytes(bytes)
      .toString("base64url")
      .slice(0, Math.ceil((bytes * 4) / 3))
  );
}

/** Personal access tokens: "glpat-" and 20 URL-safe characters, as GitLab issues them. */
export const newPersonalAccessToken = () => randomToken("glpat-", 15);
/** Runner authentication tokens created with POST /user/runners (GitLab 16+). */
export const newRunnerToken = () => randomToken("glrt-", 15);
/** CI job tokens, valid while the job runs ("glcbt-" since GitLab 17). */
export const newJobToken = () => randomToken("glcbt-", 15);

export function digest(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export function hashPassword(password: string): string {
  const salt = crypto.randomBytes(16);
  return `${salt.toString("hex")}:${crypto.scryptSync(password, salt, 32).toString("hex")}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [saltHex, hashHex] = stored.split(":");
  if (!saltHex || !hashHex) return false;
  const actual = crypto.scryptSync(password, Buffer.from(saltHex, "hex"), 32);
  const expected = Buffer.from(hashHex, "hex");
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

/** Demo passwords: readable words plus digits, random per state dir. */
export function newDemoPassword(): string {
  const words = ["cobalt", "meadow", "harbor", "lantern", "pepper", "quartz", "saffron", "timber", "violet", "willow"];
  const pick = () => words[crypto.randomInt(words.length)];
  return `${pick()}-${pick()}-${crypto.randomInt(1000, 10000)}`;
}
