import { z } from "zod";
import { MAX_KUBECONFIG_BYTES, utf8Length } from "@/lib/connections/kubeconfig";

/**
 * Connection form input, shared by the form and the server actions. Messages are catalog keys
 * under "clusters.validation"; problems found later (bad kubeconfig, TLS, 401…) are
 * ConnectionProblems under "clusters.problems".
 */

const PEM_LIMIT = 64 * 1024;

export const connectionNameSchema = z
  .string()
  .trim()
  .min(1, "nameRequired")
  .max(63, "nameTooLong")
  // Letters of any script, digits, and . _ - or spaces inside: readable in every language, safe in URLs once encoded.
  .regex(/^[\p{L}\p{N}](?:[\p{L}\p{N}._ -]*[\p{L}\p{N}])?$/u, "nameInvalid");

const namespaceSchema = z
  .string()
  .trim()
  .max(63, "namespaceInvalid")
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/, "namespaceInvalid")
  .optional();

const optionalPem = z
  .string()
  .max(PEM_LIMIT, "pemTooLarge")
  .optional()
  .transform((value) => (value?.trim() ? value.trim() + "\n" : undefined));

const server = z.string().trim().min(1, "serverRequired").max(2048, "serverTooLong");

export const credentialsInputSchema = z.discriminatedUnion("method", [
  z.object({
    method: z.literal("kubeconfig"),
    kubeconfig: z
      .string()
      .min(1, "kubeconfigRequired")
      .refine((text) => utf8Length(text) <= MAX_KUBECONFIG_BYTES, "kubeconfigTooLarge"),
    context: z.string().trim().max(253).optional(),
    skipTlsVerify: z.boolean().default(false),
  }),
  z.object({
    method: z.literal("token"),
    server,
    token: z
      .string()
      .trim()
      .min(1, "tokenRequired")
      .max(16 * 1024, "tokenTooLong"),
    caCertificate: optionalPem,
    skipTlsVerify: z.boolean().default(false),
  }),
  z.object({
    method: z.literal("certificate"),
    server,
    clientCertificate: z.string().trim().min(1, "clientCertificateRequired").max(PEM_LIMIT, "pemTooLarge"),
    clientKey: z.string().trim().min(1, "clientKeyRequired").max(PEM_LIMIT, "pemTooLarge"),
    caCertificate: optionalPem,
    skipTlsVerify: z.boolean().default(false),
  }),
]);

export type CredentialsInput = z.input<typeof credentialsInputSchema>;
export type ParsedCredentialsInput = z.output<typeof credentialsInputSchema>;

export const testConnectionSchema = z.object({ credentials: credentialsInputSchema, namespace: namespaceSchema });

export const createConnectionSchema = z.object({
  name: connectionNameSchema,
  credentials: credentialsInputSchema,
  makeDefault: z.boolean().default(false),
});

export const updateConnectionSchema = z.object({
  name: connectionNameSchema.optional(),
  // Absent: keep the stored credentials (they are never sent to the browser to be edited).
  credentials: credentialsInputSchema.optional(),
});

export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

export type FieldErrors = Record<string, string>;

/** zod issues as { "credentials.token": "tokenRequired" }: the first message per field. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.filter((part) => typeof part === "string" || typeof part === "number").join(".");
    const key = path.replace(/^credentials\.?/, "");
    // Only our own messages are catalog keys; zod's defaults (wrong type, bad discriminator) become "invalid".
    errors[key || "form"] ??= /^[a-zA-Z]+$/.test(issue.message) ? issue.message : "invalid";
  }
  return errors;
}
