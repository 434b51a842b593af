/**
 * Audit messages come from errors (Kubernetes, GitLab, validation) and are shown to admins and exported,
 * so anything that looks like a credential is masked before it is stored. Targets are names, never values.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)/g, "[redacted PEM]"],
  // JWTs (service account tokens, ID tokens): three base64url parts, the first a JSON header.
  [/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, "[redacted token]"],
  // GitLab tokens: glrt- (runner), glpat- (personal), gloas- (OAuth app secret), GR1348941 (registration).
  [/\b(glrt|glpat|gloas|glptt|gldt|glcbt|glimt|glsoat|glffct|glagent)-[A-Za-z0-9_.-]{8,}/g, "[redacted token]"],
  [/\bGR1348941[A-Za-z0-9_-]{8,}/g, "[redacted token]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [redacted]"],
  [
    /\b(password|passwd|secret|token|client[_-]?secret|api[_-]?key|access[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
    "$1$2[redacted]",
  ],
];

export const AUDIT_MESSAGE_MAX = 500;

export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/** A message fit to store: credentials masked, one line, bounded. */
export function auditMessage(text: string | null | undefined): string | null {
  if (!text) return null;
  const line = redactSecrets(text).replace(/\s+/g, " ").trim();
  if (!line) return null;
  return line.length > AUDIT_MESSAGE_MAX ? `${line.slice(0, AUDIT_MESSAGE_MAX - 1)}…` : line;
}
