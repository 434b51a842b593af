import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type Logger } from "pino";

/**
 * Structured JSON logs (pino), one line per event, on stdout. The custom server (server/) runs each
 * request inside a context holding its request id, so every line logged while serving it carries
 * `requestId` without passing it around. Not server-only: the custom server imports it too.
 *
 * No secret reaches a line: `redactSecrets` masks values under secret-looking keys and secret-looking
 * strings anywhere (bearer tokens, private keys, passwords in URLs, runner tokens), tested in
 * log.test.ts. Prefer logging ids and names over objects.
 */
const SECRET_KEY =
  /(pass(word|wd)?|secret|token|authorization|cookie|credentials?|private.?key|client.?key|api.?key|^key)$/i;

const SECRET_TEXT: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, "[REDACTED private key]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [REDACTED]"],
  [/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/gi, "$1:[REDACTED]@"],
  [/\b(glrt|glpat|gldt|glcbt|glptt|GR1348941)[-_][A-Za-z0-9._-]{8,}/g, "[REDACTED token]"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, "[REDACTED jwt]"],
  [/((?:password|passwd|secret|token|api[_-]?key)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"']+)/gi, "$1[REDACTED]"],
];

export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_TEXT) result = result.replace(pattern, replacement);
  return result;
}

/** A copy of a log value with secrets masked; cycles and depth bounded. */
export function redactSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8 || seen.has(value)) return "[…]";
  seen.add(value);
  if (value instanceof Error) {
    return { type: value.name, message: redactText(value.message), stack: value.stack && redactText(value.stack) };
  }
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] =
      SECRET_KEY.test(key) && inner !== null && inner !== undefined && inner !== ""
        ? "[REDACTED]"
        : redactSecrets(inner, depth + 1, seen);
  }
  return copy;
}

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `fn` with a request id that every log line inside it carries. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

export function createLogger(destination?: pino.DestinationStream): Logger {
  return pino(
    {
      base: { service: "ask-ci" },
      level: process.env.LOG_LEVEL ?? "info",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
      hooks: {
        // The message and its format arguments are redacted too (formatters.log only sees the object).
        logMethod(args, method) {
          method.apply(this, args.map((arg) => redactSecrets(arg)) as Parameters<typeof method>);
        },
      },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    destination,
  );
}

const holder = globalThis as unknown as { askCiLogger?: Logger };

/** The process's logger (shared by the custom server and the Next.js bundle). */
export function log(): Logger {
  holder.askCiLogger ??= createLogger();
  return holder.askCiLogger;
}
