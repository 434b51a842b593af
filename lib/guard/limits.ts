/**
 * What any request body may be, checked before anything parses it (lib/guard/request-guard.ts).
 * Generous for the largest real input (a kubeconfig with a CA bundle, a wizard profile with every
 * option, a pasted price list), far below what would cost the server memory or stack.
 */
export const BODY_LIMITS = {
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
} as const;

/** Object keys that mean something to JavaScript itself and nothing to ask-ci. */
export const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
