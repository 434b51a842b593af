import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { connectionNameSchema } from "@/lib/validations/connection";
import { gitlabProblem, type GitlabResult } from "./problems";

/**
 * GitLab connection form input, shared by the form and the server actions. Messages are catalog
 * keys under "gitlab.validation"; what GitLab answers later is a GitlabProblem.
 */

const optionalPem = z
  .string()
  .max(64 * 1024, "pemTooLarge")
  .optional()
  .transform((value) => (value?.trim() ? value.trim() + "\n" : undefined));

export const gitlabUrlSchema = z.string().trim().min(1, "urlRequired").max(2048, "urlTooLong");

// Personal (glpat-), project/group access tokens (also glpat-), and older tokens without a prefix.
export const gitlabTokenSchema = z
  .string()
  .trim()
  .min(1, "tokenRequired")
  .max(1024, "tokenTooLong")
  .regex(/^[\x21-\x7e]+$/, "tokenInvalid");

export const gitlabCredentialsSchema = z.object({
  url: gitlabUrlSchema,
  token: gitlabTokenSchema,
  caCertificate: optionalPem,
});

export const createGitlabConnectionSchema = z.object({ name: connectionNameSchema }).extend({
  credentials: gitlabCredentialsSchema,
});

export const updateGitlabConnectionSchema = z.object({
  name: connectionNameSchema.optional(),
  // Absent: keep the stored token (it is never sent to the browser to be edited).
  credentials: gitlabCredentialsSchema.optional(),
});

export type GitlabCredentialsInput = z.output<typeof gitlabCredentialsSchema>;

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The instance URL as stored: https, or http on loopback only (a token over plain http elsewhere
 * is readable on the wire); no credentials, query or fragment; no trailing slash.
 */
export function checkGitlabUrl(text: string): GitlabResult<string> {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, problem: gitlabProblem("invalidUrl", undefined, "url") };
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    return { ok: false, problem: gitlabProblem("notHttps", { protocol: url.protocol.replace(":", "") }, "url") };
  }
  if (url.username || url.password || url.search || url.hash) {
    return { ok: false, problem: gitlabProblem("invalidUrl", undefined, "url") };
  }
  return { ok: true, value: `${url.origin}${url.pathname.replace(/\/+$/, "").replace(/\/api\/v4$/, "")}` };
}

/** SHA-256 fingerprint of a CA bundle's first certificate, or a problem for PEM that does not parse. */
export function caFingerprintOf(pem: string | undefined): GitlabResult<string | null> {
  if (!pem) return { ok: true, value: null };
  try {
    return { ok: true, value: new X509Certificate(pem).fingerprint256 };
  } catch {
    return { ok: false, problem: gitlabProblem("invalidCaCertificate", undefined, "caCertificate") };
  }
}
