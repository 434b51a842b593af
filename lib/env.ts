import path from "node:path";
import { z } from "zod";
import { databaseProvider, resolveDatabaseUrl } from "./database-url";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const optionalPositiveInteger = optionalString.pipe(z.coerce.number<string | undefined>().int().positive().optional());

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .refine(
        (value) => databaseProvider(value) !== null,
        "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
      )
      .optional(),
  ),
  DATABASE_POOL_SIZE: optionalPositiveInteger,
  DATABASE_STATEMENT_TIMEOUT_MS: optionalPositiveInteger,
  DATABASE_CONNECT_TIMEOUT_MS: optionalPositiveInteger,
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
  ASK_CI_SHELL_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  ASK_CI_SHELL_MAX_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(120),
  // How often the elected writer replica evaluates budgets and alert rules (lib/alerts/evaluate.server.ts).
  ASK_CI_ALERT_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  ASK_CI_SECRET_KEY: optionalString.pipe(
    z
      .string()
      .refine((value) => decodeKey(value) !== null, "must be 32 bytes as 64 hex characters or base64")
      .optional(),
  ),
  ASK_CI_SECRET_KEY_FILE: optionalString,
  ASK_CI_BOOTSTRAP_KUBECONFIG: optionalString,
  ASK_CI_BOOTSTRAP_CONNECTION_NAME: z.string().min(1).max(63).default("demo"),
  ASK_CI_BOOTSTRAP_GITLAB: optionalString,
  ASK_CI_BOOTSTRAP_GITLAB_NAME: z.string().min(1).max(63).default("demo-gitlab"),
  ASK_CI_BOOTSTRAP_RUNNERS: optionalString,
  ASK_CI_TRUST_PROXY: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
  ASK_CI_PUBLIC_URL: optionalString.pipe(
    z
      .string()
      .refine((value) => isHttpUrl(value), "must be an http(s) URL such as https://ask-ci.example.com")
      .transform((value) => value.replace(/\/+$/, ""))
      .optional(),
  ),
  // Where GitLab's webhooks reach us, when not at ASK_CI_PUBLIC_URL (the demo: loopback; a GitLab in the cluster).
  ASK_CI_WEBHOOK_URL: optionalString.pipe(
    z
      .string()
      .refine((value) => isHttpUrl(value), "must be an http(s) URL such as http://ask-ci.ci.svc:3000")
      .transform((value) => value.replace(/\/+$/, ""))
      .optional(),
  ),
  GITLAB_OIDC_ISSUER: optionalString.pipe(
    z
      .string()
      .refine(
        (value) => isHttpUrl(value) && (value.startsWith("https:") || isLoopbackUrl(value)),
        "must be an https URL such as https://gitlab.com (plain http only on localhost or 127.0.0.1)",
      )
      // GitLab's issuer has no trailing slash; discovery compares it exactly.
      .transform((value) => value.replace(/\/+$/, ""))
      .optional(),
  ),
  GITLAB_OIDC_CLIENT_ID: optionalString.pipe(z.string().max(255).optional()),
  GITLAB_OIDC_CLIENT_SECRET: optionalString.pipe(z.string().max(1024).optional()),
  GITLAB_OIDC_SCOPES: z
    .string()
    .default("openid profile email")
    .refine((value) => value.split(/\s+/).includes("openid"), "must include openid"),
});

export type AppEnv = z.infer<typeof envSchema> & { databaseUrl: string; secretKeyFile: string };

export class EnvError extends Error {}

/** Parses the environment; throws an EnvError whose message is one line naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): AppEnv {
  const result = envSchema.superRefine(requireOidcClient).safeParse(source);
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

function isHttpUrl(value: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function isLoopbackUrl(value: string): boolean {
  const host = new URL(value).hostname;
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** GitLab sign-in is on when the issuer is set; then the application's id and secret are required too. */
function requireOidcClient(values: z.infer<typeof envSchema>, context: z.RefinementCtx): void {
  if (!values.GITLAB_OIDC_ISSUER) return;
  for (const name of ["GITLAB_OIDC_CLIENT_ID", "GITLAB_OIDC_CLIENT_SECRET"] as const) {
    if (!values[name])
      context.addIssue({ code: "custom", path: [name], message: "is required when GITLAB_OIDC_ISSUER is set" });
  }
}
