// Standalone demo ASK cluster: `npm run demo-cluster -- --port 6443 --kubeconfig ./demo.kubeconfig`.
import { parseArgs } from "node:util";
import { startDemoCluster } from "../lib/demo-cluster";

const HELP = `Usage: npm run demo-cluster -- [options]

Starts the demo ASK cluster: a Kubernetes API server (HTTPS) with one ECI virtual node and a
simulated GitLab Runner workload, and writes a kubeconfig for it.

Options:
  --port <n>              Port to listen on (default 6443; 0 picks a free port)
  --host <addr>           Address to listen on (default 127.0.0.1)
  --kubeconfig <file>     Where to write the admin kubeconfig (default ./demo.kubeconfig)
  --state <dir>           State directory: CA and server certificate, tokens, object snapshot
                          (default ./data/demo-cluster). Delete it to start from scratch.
  --seed <n>              Seed of the simulation's random choices (default 42)
  --jobs-per-minute <n>   CI jobs the simulated runner receives per minute (default 6)
  --watch-window <n>      Change events kept for watch resume; older resourceVersions get 410 Gone
  --no-simulation         Serve the API only: no scheduler/kubelet, no runner jobs
  --empty                 Do not deploy the demo GitLab Runner on first start
  --log-requests          Log every request to stderr
  -h, --help              Show this help

The admin token is in the kubeconfig; a read-only token limited to pods, pods/log and events in
namespace gitlab-runner is in <state>/viewer.kubeconfig (both also in <state>/tokens.json).
Example:
  npm run demo-cluster -- --port 6443 --kubeconfig ./demo.kubeconfig
  kubectl --kubeconfig ./demo.kubeconfig get pods -A -w
`;

function intOption(value: string | undefined, name: string, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`demo-cluster: --${name} must be a non-negative number, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        kubeconfig: { type: "string" },
        state: { type: "string" },
        seed: { type: "string" },
        "jobs-per-minute": { type: "string" },
        "watch-window": { type: "string" },
        "no-simulation": { type: "boolean" },
        empty: { type: "boolean" },
        "log-requests": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`demo-cluster: ${(e as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const kubeconfigPath = values.kubeconfig ?? "./demo.kubeconfig";
  const stateDir = values.state ?? "./data/demo-cluster";
  const cluster = await startDemoCluster({
    port: intOption(values.port, "port", 6443),
    host: values.host ?? "127.0.0.1",
    stateDir,
    kubeconfigPath,
    seed: intOption(values.seed, "seed", 42),
    jobsPerMinute: intOption(values["jobs-per-minute"], "jobs-per-minute", undefined),
    watchWindow: intOption(values["watch-window"], "watch-window", undefined),
    simulate: !values["no-simulation"],
    seedWorkload: values.empty ? false : undefined,
    logRequests: values["log-requests"],
  });
  console.log(`demo-cluster: serving ${cluster.url}`);
  console.log(`demo-cluster: kubeconfig written to ${kubeconfigPath} (state in ${stateDir})`);
  console.log(`demo-cluster: try  kubectl --kubeconfig ${kubeconfigPath} get pods -A`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`demo-cluster: ${signal}, saving state and stopping`);
    await cluster.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((e) => {
  console.error("demo-cluster:", e instanceof Error ? e.message : e);
  process.exit(1);
});
