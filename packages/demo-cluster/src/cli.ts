// Standalone demo ASK cluster: `npm run demo-cluster -- --port 6443 --kubeconfig ./demo.kubeconfig`.
import { startDemoCluster } from "./index";
import { DEMO_CLUSTER_HELP, parseDemoClusterArgs } from "./cli-options";

async function main(): Promise<void> {
  const parsed = parseDemoClusterArgs(process.argv.slice(2));
  if (parsed.kind === "help") {
    process.stdout.write(DEMO_CLUSTER_HELP);
    return;
  }
  if (parsed.kind === "error") {
    console.error(`demo-cluster: ${parsed.message}\n\nRun with --help for the options.`);
    process.exit(2);
  }
  const { kubeconfigPath, stateDir } = parsed.options;
  const cluster = await startDemoCluster(parsed.options);
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
