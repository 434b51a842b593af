/**
 * What any request body may be, checked before anything parses it (lib/guard/request-guard.ts).
 * Generous for the largest real input (a kubeconfig with a CA bundle, a wizard profile with every
 * option, a pasted price list), far below what would cost the server memory or stack.
 */
export interface BodyLimits {
  bytes: number;
  depth: number;
  width: number;
  nodes: number;
  string: number;
  parts: number;
}

export const BODY_LIMITS: BodyLimits = {
  /** Bytes of a server action or API request body. */
  bytes: 512 * 1024,
  /** Nesting of arrays and objects. A runner profile is about 6 deep. */
  depth: 32,
  /** Elements of one array or keys of one object. */
  width: 1000,
  /** Arrays, objects and values in one body. */
  nodes: 20_000,
  /** Characters of one string (a kubeconfig, a certificate chain). */
  string: 256 * 1024,
  /** Parts of a multipart body. */
  parts: 200,
};

/**
 * GitLab's webhook deliveries (api/gitlab/webhook): a Pipeline Hook lists every latest job of the
 * pipeline (GitLab MR 53159), and pipelines of a few thousand jobs exist (plan limits allow them),
 * at about 1 KB and 40 values a job. GitLab disables a hook that keeps failing, so a big pipeline
 * must not be refused; the route checks the connection's token before it reads anything.
 */
export const WEBHOOK_BODY_LIMITS: BodyLimits = {
  ...BODY_LIMITS,
  bytes: 16 * 1024 * 1024,
  width: 20_000,
  nodes: 2_000_000,
};

/** The limits a request to `pathname` is held to. */
export function bodyLimitsFor(pathname: string): BodyLimits {
  return pathname.startsWith("/api/gitlab/webhook/") ? WEBHOOK_BODY_LIMITS : BODY_LIMITS;
}

/** Object keys that mean something to JavaScript itself and nothing to ask-ci. */
export const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
