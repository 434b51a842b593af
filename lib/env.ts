import path from "node:path";
import { z } from "zod";
import { resolveDatabaseUrl } from "./database-url";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalString,
  ASK_CI_DATA_DIR: z.string().min(1).default("data"),
  ADMIN_USERNAME: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,64}$/, "letters, digits, dot, dash or underscore, at most 64")
    .default("admin"),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(8, "must be at least 8 characters").max(256).optional()),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  ASK_CI_SECRET_KEY: optionalString.pipe(
    z
      .string()
      .refine((value) => decodeKey(value) !== null, "must be 32 bytes as 64 hex characters or base64")
      .optional(),
  ),
  ASK_CI_SECRET_KEY_FILE: optionalString,
  ASK_CI_BOOTSTRAP_KUBECONFIG: optionalString,
  ASK_CI_BOOTSTRAP_CONNECTION_NAME: z.string().min(1).max(63).default("demo"),
  ASK_CI_TRUST_PROXY: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
});

export type AppEnv = z.infer<typeof envSchema> & { databaseUrl: string; secretKeyFile: string };

export class EnvError extends Error {}

/** Parses the environment; throws an EnvError whose message is one line naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): AppEnv {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = issue.path.join(".") || "environment";
    throw new EnvError(`Invalid configuration: ${variable} ${issue.message}`);
  }
  const values = result.data;
  return {
    ...values,
    databaseUrl: resolveDatabaseUrl(source),
    secretKeyFile: values.ASK_CI_SECRET_KEY_FILE ?? path.join(values.ASK_CI_DATA_DIR, "secret.key"),
  };
}

/** A 32-byte key written as hex or base64, or null when it is neither. */
export function decodeKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex");
  const decoded = Buffer.from(trimmed, "base64");
  return decoded.length === 32 ? decoded : null;
}
