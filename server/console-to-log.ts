import { format } from "node:util";
import type { Logger } from "pino";

/**
 * Sends console.* through the JSON logger, so every line the server prints (ours, Next.js's,
 * libraries') is one JSON object with the request id and the same secret redaction.
 */
export function consoleToLog(logger: Logger): void {
  const levels = { log: "info", info: "info", debug: "debug", warn: "warn", error: "error" } as const;
  for (const [method, level] of Object.entries(levels) as Array<
    [keyof typeof levels, "info" | "debug" | "warn" | "error"]
  >) {
    console[method] = (...args: unknown[]) => {
      const [first, ...rest] = args;
      if (first instanceof Error && rest.length === 0) logger[level]({ err: first }, first.message);
      else logger[level](format(...args));
    };
  }
}
