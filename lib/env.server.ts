import "server-only";
import { parseEnv, type AppEnv } from "./env";

let cached: AppEnv | undefined;

/** The validated configuration; the server refuses to start when it is invalid (see instrumentation.ts). */
export function env(): AppEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
