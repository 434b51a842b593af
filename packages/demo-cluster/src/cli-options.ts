import { parseArgs } from "node:util";
import type { DemoClusterOptions } from "./index";

export const DEMO_CLUSTER_HELP = `Usage: npm run demo-cluster -- [options]

Starts the demo ASK cluster: a Kubernetes API server (HTTPS) with one ECI virtual node and a
simulated GitLab Runner workload, and writes a kubeconfig for it.

Options:
  --port <n>              Port to listen on (default 6443; 0 picks a free port)
  --host <addr>           Address to listen on (default 127.0.0.1)
  --kubeconfig <file>     Where to write the admin kubeconfig (default ./demo.kubeconfig)
  --state <dir>           State directory: CA and server certificate, tokens, object snapshot
                          (default ./data/demo-cluster). Delete it to start from scratch.
  --seed <n>              Seed of the simulation's random choices (default 42)
  --jobs-per-minute <n>   CI jobs each simulated runner receives per minute (default 6; 0: none)
  --speed <x>             Simulated job minutes per real minute (default 5: a 10 min job takes 2 min;
                          1 is real time; jobs take at least 5 s); job timeouts are divided too
  --failure-rate <r>      Share of job pods that fail at random, 0 to 1 (default 0.02): image pull
                          back-off, stuck Pending, OOMKilled, evicted, instance lost or spot reclaim
  --spot-notice <s>       Seconds between ECI's SpotToBeReleased warning and the reclaim
                          (default 180, as ECI documents)
  --watch-window <n>      Change events kept for watch resume; older resourceVersions get 410 Gone
                          (default 10000)
  --no-simulation         Serve the API only: no scheduler/kubelet, no runner jobs
  --empty                 Do not deploy the demo GitLab Runner on first start
  --log-requests          Log every request to stderr (also DEMO_CLUSTER_LOG_REQUESTS=1)
  -h, --help              Show this help

The admin token is in the kubeconfig; a read-only token limited to pods, pods/log and events in
namespace gitlab-runner is in <state>/viewer.kubeconfig (both also in <state>/tokens.json).
Example:
  npm run demo-cluster -- --port 6443 --kubeconfig ./demo.kubeconfig
  kubectl --kubeconfig ./demo.kubeconfig get pods -A -w
`;

export type CliOptions = DemoClusterOptions & { kubeconfigPath: string; stateDir: string };

export type CliParse = { kind: "help" } | { kind: "error"; message: string } | { kind: "run"; options: CliOptions };

interface NumberRule {
  integer?: boolean;
  min: number;
  /** The minimum itself is not allowed. */
  above?: boolean;
  max?: number;
  /** Shown in the error message. */
  expected: string;
}

const RULES = {
  port: { integer: true, min: 0, max: 65535, expected: "an integer from 0 to 65535" },
  seed: { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER, expected: "a non-negative integer" },
  "jobs-per-minute": { min: 0, expected: "a non-negative number" },
  speed: { min: 0, above: true, expected: "a number above 0" },
  "failure-rate": { min: 0, max: 1, expected: "a number from 0 to 1" },
  "watch-window": { integer: true, min: 1, expected: "a positive integer" },
  "spot-notice": { min: 0, expected: "a non-negative number of seconds" },
} satisfies Record<string, NumberRule>;

class UsageError extends Error {}

function numberOption(values: Record<string, unknown>, name: keyof typeof RULES): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const rule: NumberRule = RULES[name];
  const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.above ? n > rule.min : n >= rule.min) &&
    (rule.max === undefined || n <= rule.max);
  if (!ok) throw new UsageError(`--${name} must be ${rule.expected}, got ${JSON.stringify(raw)}`);
  return n;
}

function secondsOption(values: Record<string, unknown>, name: keyof typeof RULES): number | undefined {
  const seconds = numberOption(values, name);
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

/** Reads the demo-cluster command line; defaults are left to startDemoCluster except where the CLI has its own. */
export function parseDemoClusterArgs(args: string[]): CliParse {
  try {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        kubeconfig: { type: "string" },
        state: { type: "string" },
        seed: { type: "string" },
        "jobs-per-minute": { type: "string" },
        speed: { type: "string" },
        "failure-rate": { type: "string" },
        "watch-window": { type: "string" },
        "spot-notice": { type: "string" },
        "no-simulation": { type: "boolean" },
        empty: { type: "boolean" },
        "log-requests": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) return { kind: "help" };
    return {
      kind: "run",
      options: {
        port: numberOption(values, "port") ?? 6443,
        host: values.host ?? "127.0.0.1",
        kubeconfigPath: values.kubeconfig ?? "./demo.kubeconfig",
        stateDir: values.state ?? "./data/demo-cluster",
        seed: numberOption(values, "seed") ?? 42,
        jobsPerMinute: numberOption(values, "jobs-per-minute"),
        speed: numberOption(values, "speed"),
        failureRate: numberOption(values, "failure-rate"),
        watchWindow: numberOption(values, "watch-window"),
        spotNoticeMs: secondsOption(values, "spot-notice"),
        simulate: !values["no-simulation"],
        seedWorkload: values.empty ? false : undefined,
        // Unset, startDemoCluster looks at DEMO_CLUSTER_LOG_REQUESTS.
        logRequests: values["log-requests"] ? true : undefined,
      },
    };
  } catch (error) {
    // parseArgs throws TypeErrors with an ERR_PARSE_ARGS_* code for unknown or malformed flags.
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || code?.startsWith("ERR_PARSE_ARGS"))
      return { kind: "error", message: (error as Error).message };
    throw error;
  }
}
