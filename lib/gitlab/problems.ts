/**
 * What can go wrong talking to GitLab, as a code the UI translates (`gitlab.problems.<code>` in
 * lib/i18n/messages/<locale>/gitlab.json) plus harmless parameters. Never a token, never a body.
 */
export type GitlabProblemCode =
  | "invalidUrl"
  | "notHttps"
  | "invalidCaCertificate"
  | "unreachable"
  | "timeout"
  | "tlsUntrusted"
  | "tlsCertificateExpired"
  | "tlsHostnameMismatch"
  | "tlsFailed"
  | "unauthorized"
  | "forbidden"
  | "notFound"
  | "conflict"
  | "rejected"
  | "rateLimited"
  | "serverError"
  | "notGitlab"
  | "invalidResponse"
  | "nameTaken"
  | "connectionNotFound"
  | "decryptionFailed";

export interface GitlabProblem {
  code: GitlabProblemCode;
  /** e.g. { status: 403, message: "insufficient_scope", path: "/user/runners" } */
  params?: Record<string, string | number>;
  field?: string;
}

export function gitlabProblem(
  code: GitlabProblemCode,
  params?: GitlabProblem["params"],
  field?: string,
): GitlabProblem {
  return { code, ...(params ? { params } : {}), ...(field ? { field } : {}) };
}

/** Thrown by the client; `problem` is what the user sees, `status` the HTTP status (0 without a response). */
export class GitlabApiError extends Error {
  constructor(
    readonly problem: GitlabProblem,
    readonly status = 0,
  ) {
    super(`GitLab: ${problem.code}${problem.params ? ` ${JSON.stringify(problem.params)}` : ""}`);
    this.name = "GitlabApiError";
  }
}

export type GitlabResult<T> = { ok: true; value: T } | { ok: false; problem: GitlabProblem };

/**
 * GitLab's error bodies are `{"message": "..."}`, `{"message": {"field": ["..."]}}` or
 * `{"error": "...", "error_description": "..."}` (lib/api/helpers.rb render_api_error!, and
 * Doorkeeper for OAuth scopes). One short line, for the user; bodies are never logged whole.
 */
export function gitlabErrorMessage(body: unknown): string | null {
  if (!body || typeof body !== "object") return typeof body === "string" && body.trim() ? clip(body.trim()) : null;
  const record = body as Record<string, unknown>;
  const message = record.message ?? record.error_description ?? record.error;
  if (typeof message === "string") return clip(message);
  if (message && typeof message === "object") {
    const parts = Object.entries(message as Record<string, unknown>).map(
      ([field, value]) => `${field} ${Array.isArray(value) ? value.join(", ") : String(value)}`,
    );
    return parts.length ? clip(parts.join("; ")) : null;
  }
  return null;
}

/** The problem for a non-2xx answer. */
export function problemForStatus(status: number, body: unknown, path: string): GitlabProblem {
  const message = gitlabErrorMessage(body);
  const params = { status, path, ...(message ? { message } : {}) };
  if (status === 401) return gitlabProblem("unauthorized", params, "token");
  if (status === 403) return gitlabProblem("forbidden", params, "token");
  if (status === 404) return gitlabProblem("notFound", params);
  if (status === 409) return gitlabProblem("conflict", params);
  if (status === 429) return gitlabProblem("rateLimited", params);
  if (status >= 500) return gitlabProblem("serverError", params);
  return gitlabProblem("rejected", params);
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
