import "server-only";
import { env } from "@/lib/env.server";
import type { ShellLimits } from "./bridge";

export function shellLimits(): ShellLimits {
  const values = env();
  return { idleMs: values.ASK_CI_SHELL_IDLE_MINUTES * 60_000, maxMs: values.ASK_CI_SHELL_MAX_MINUTES * 60_000 };
}
