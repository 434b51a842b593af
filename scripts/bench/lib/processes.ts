import type { ChildProcess } from "node:child_process";
import os from "node:os";

/** The time and the machine's load, printed at a run's start and end: figures mean little without it. */
export function machineLoad(): string {
  return `${new Date().toISOString()}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ")} (1/5/15 min), ${os.cpus().length} CPUs`;
}

/**
 * Stops a benchmark's child processes, newest first: SIGTERM, then SIGKILL after 15 s. A graceful
 * shutdown waits for its streams; a stuck one must not hold the benchmark (and the heavy-command lock).
 */
export async function stopChildren(children: readonly ChildProcess[]): Promise<void> {
  for (const child of [...children].reverse()) {
    const exited = new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(killer);
  }
}
