/**
 * `npm run demo`: build when needed, start the demo ASK cluster and the demo GitLab, and start the
 * dashboard with the cluster's kubeconfig registered as its first connection
 * (ASK_CI_BOOTSTRAP_KUBECONFIG) and "Sign in with GitLab" pointed at the demo GitLab's OIDC
 * provider. The demo cluster's runners are registered in the demo GitLab and take its pipeline jobs
 * over the runner protocol; the dashboard knows them as runner profiles linked to those runners
 * (ASK_CI_BOOTSTRAP_RUNNERS), so each job pod is joined to its GitLab job and pipeline. The dashboard
 * reaches both over HTTP(S) like any other cluster or GitLab; the demo GitLab's URL, admin token and
 * users are in <data dir>/demo-gitlab.json, the runners' ids and tokens in <data dir>/demo-runners.json.
 * Flags: --rebuild, --port N (dashboard, default 3000), --cluster-port N (default 6443),
 * --gitlab-port N (default 8929), --jobs-per-minute N (about that many pipeline jobs a minute: the
 * demo GitLab's pushes are scheduled at N × 20 an hour), --seed N, --speed N (simulated job durations
 * run N times faster), --failure-rate F, --pushes-per-hour N (set the push rate directly),
 * --spot-notice S (seconds between ECI's SpotToBeReleased warning and the reclaim, default 180),
 * --history-days N (weeks of plausible job history seeded on first start, default 28; 0 or
 * --no-history: none; scripts/demo-history/).
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startDemoCluster, type DemoCluster } from "@ask-ci/demo-cluster";
import { startDemoGitlab, type DemoGitlab } from "@ask-ci/demo-gitlab";
import { resolveDatabaseUrl } from "../lib/database-url";
import { seedDemoHistory } from "./demo-history/seed";
import { demoRunnerObjects, ensureDemoRunners } from "./demo-runner/in-demo-gitlab";

export interface DemoOptions {
  dataDir: string;
  port: number;
  clusterPort: number;
  /** 0 picks a free port. */
  gitlabPort: number;
  build: boolean | "if-missing";
  seed?: number;
  jobsPerMinute?: number;
  speed?: number;
  failureRate?: number;
  pushesPerHour?: number;
  spotNoticeSeconds?: number;
  /** Days of job history seeded for the demo connection on first start (0: none). Default 28. */
  historyDays?: number;
  /** The demo GitLab's webhooks to the dashboard (ASK_CI_WEBHOOK_URL on loopback). Default true. */
  webhooks?: boolean;
}

const DEMO_CONNECTION = "demo";

export async function runDemo(options: DemoOptions): Promise<void> {
  const root = process.cwd();
  if (
    options.build === true ||
    (options.build === "if-missing" && !fs.existsSync(path.join(root, ".next", "ask-ci-server.js")))
  ) {
    console.log("ask-ci: building the dashboard (first run only; takes a few minutes)…");
    const built = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });

  const { cluster, gitlab, kubeconfigPath, gitlabInfoPath, runnersPath } = await startDemoBackends(dataDir, {
    ...options,
    dashboardPort: options.port,
  });
  console.log(`ask-ci: demo GitLab at ${gitlab.url}; URL, admin token and users in ${gitlabInfoPath}`);
  console.log(`ask-ci: demo cluster (Kubernetes API) at ${cluster.url}; kubeconfig: ${kubeconfigPath}`);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ASK_CI_DATA_DIR: dataDir,
    PORT: String(options.port),
    ASK_CI_BOOTSTRAP_KUBECONFIG: kubeconfigPath,
    // The demo GitLab as the GitLab connection "demo-gitlab" on first start (lib/gitlab/bootstrap.server.ts).
    ASK_CI_BOOTSTRAP_GITLAB: gitlabInfoPath,
    // The demo cluster's runners as profiles linked to their runners in the demo GitLab (lib/wizard/bootstrap.server.ts).
    ASK_CI_BOOTSTRAP_RUNNERS: runnersPath,
    // "Sign in with GitLab" through the demo GitLab, unless the environment configures another provider.
    GITLAB_OIDC_ISSUER: process.env.GITLAB_OIDC_ISSUER ?? gitlab.info.oidc.issuer,
    GITLAB_OIDC_CLIENT_ID: process.env.GITLAB_OIDC_ISSUER
      ? process.env.GITLAB_OIDC_CLIENT_ID
      : gitlab.info.oidc.clientId,
    GITLAB_OIDC_CLIENT_SECRET: process.env.GITLAB_OIDC_ISSUER
      ? process.env.GITLAB_OIDC_CLIENT_SECRET
      : gitlab.info.oidc.clientSecret,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // GitLab's webhooks reach the dashboard on loopback (the demo GitLab allows local addresses, docs/demo-gitlab.md).
  // Not ASK_CI_PUBLIC_URL: that is also where "Sign in with GitLab" returns, and one loopback name
  // there would break signing in from the other (its cookie is per host).
  if (options.webhooks !== false && !env.ASK_CI_WEBHOOK_URL && !env.ASK_CI_PUBLIC_URL)
    env.ASK_CI_WEBHOOK_URL = `http://127.0.0.1:${options.port}`;
  const historyDays = options.historyDays ?? 28;
  if (historyDays > 0) {
    // Beside the dashboard's start: it waits for the dashboard to register the demo connection.
    seedDemoHistory({
      databaseUrl: resolveDatabaseUrl(env),
      connectionName: process.env.ASK_CI_BOOTSTRAP_CONNECTION_NAME ?? DEMO_CONNECTION,
      days: historyDays,
      seed: options.seed ?? 42,
      gitlabUrl: gitlab.url,
    })
      .then((written) => {
        if (written > 0)
          console.log(`ask-ci: seeded ${written} demo jobs over ${historyDays} days (--no-history turns this off)`);
      })
      .catch((error: Error) => console.warn(`ask-ci: demo history not seeded: ${error.message}`));
  }
  // As `npm start` runs it: the build's plain JavaScript, no TypeScript loader in the server.
  const child = spawn(process.execPath, [path.join(root, ".next", "ask-ci-server.js")], {
    stdio: ["ignore", "pipe", "inherit"],
    env,
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (chunk.toString().includes("Ready")) {
      console.log(`\nask-ci is running: http://localhost:${options.port}`);
      console.log(loginHint(dataDir));
      console.log(`Try kubectl too: kubectl --kubeconfig ${kubeconfigPath} get pods -n gitlab-runner -w`);
      console.log(
        `And the demo GitLab: curl -H "PRIVATE-TOKEN: $(jq -r .adminToken ${gitlabInfoPath})" ${gitlab.info.apiUrl}/projects`,
      );
    }
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    child.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", async (code) => {
    await Promise.all([cluster.stop(), gitlab.stop()]);
    process.exit(code ?? 0);
  });
}

/** Pipelines in the demo projects average about three jobs: pushes per hour for about `jobsPerMinute` jobs a minute. */
const JOBS_PER_PIPELINE = 3;

/**
 * The demo GitLab, the demo's runners registered in it (scripts/demo-runner/in-demo-gitlab.ts),
 * and the demo cluster running those runners from our own manifests: its job pods are the demo
 * GitLab's pipeline jobs, taken over the runner protocol. Also what the integration test starts.
 */
export async function startDemoBackends(
  dataDir: string,
  options: Omit<DemoOptions, "dataDir" | "port" | "build"> & { dashboardPort?: number },
): Promise<{
  cluster: DemoCluster;
  gitlab: DemoGitlab;
  kubeconfigPath: string;
  gitlabInfoPath: string;
  runnersPath: string;
}> {
  const gitlabInfoPath = path.join(dataDir, "demo-gitlab.json");
  const port = options.dashboardPort ?? 3000;
  const gitlab = await startDemoGitlab({
    port: options.gitlabPort,
    stateDir: path.join(dataDir, "demo-gitlab"),
    infoPath: gitlabInfoPath,
    seed: options.seed ?? 42,
    pushesPerHour: options.pushesPerHour ?? ((options.jobsPerMinute ?? 6) * 60) / JOBS_PER_PIPELINE,
    // GitLab checks redirect URIs exactly: the dashboard's callback by both loopback names.
    oidcRedirectUris: [
      `http://localhost:${port}/login/gitlab/callback`,
      `http://127.0.0.1:${port}/login/gitlab/callback`,
    ],
  });
  const runnersPath = path.join(dataDir, "demo-runners.json");
  let runners;
  try {
    runners = await ensureDemoRunners({ url: gitlab.url, adminToken: gitlab.info.adminToken }, runnersPath);
  } catch (error) {
    await gitlab.stop();
    throw error;
  }
  const kubeconfigPath = path.join(dataDir, "demo.kubeconfig");
  const cluster = await startDemoCluster({
    port: options.clusterPort,
    stateDir: path.join(dataDir, "demo-cluster"),
    kubeconfigPath,
    seed: options.seed ?? 42,
    jobsPerMinute: options.jobsPerMinute,
    speed: options.speed,
    failureRate: options.failureRate,
    spotNoticeMs: options.spotNoticeSeconds === undefined ? undefined : options.spotNoticeSeconds * 1000,
    workload: demoRunnerObjects(runners.runners.map((r) => r.settings)),
  });
  return { cluster, gitlab, kubeconfigPath, gitlabInfoPath, runnersPath };
}

/** The terminal is not a log: the demo shows the generated first password here (lib/auth/bootstrap.server.ts). */
function loginHint(dataDir: string): string {
  if (process.env.ADMIN_PASSWORD) return "Log in as admin with the password from ADMIN_PASSWORD.";
  const file = path.join(dataDir, "initial-admin-password");
  if (fs.existsSync(file))
    return `Log in as admin with the password ${fs.readFileSync(file, "utf8").trim()} (kept in ${file}).`;
  return "Log in as admin with the password you were shown on the first start (set ADMIN_PASSWORD to choose it).";
}

function numberFlag(name: string): number | undefined {
  const index = process.argv.indexOf(name);
  if (index < 0) return undefined;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`ask-ci: ${name} needs a non-negative number`);
    process.exit(2);
  }
  return value;
}

if (require.main === module) {
  void runDemo({
    dataDir: process.env.ASK_CI_DATA_DIR ?? "data",
    port: numberFlag("--port") ?? Number(process.env.PORT ?? 3000),
    clusterPort: numberFlag("--cluster-port") ?? 6443,
    gitlabPort: numberFlag("--gitlab-port") ?? 8929,
    build: process.argv.includes("--rebuild") ? true : "if-missing",
    seed: numberFlag("--seed"),
    jobsPerMinute: numberFlag("--jobs-per-minute"),
    speed: numberFlag("--speed"),
    failureRate: numberFlag("--failure-rate"),
    pushesPerHour: numberFlag("--pushes-per-hour"),
    spotNoticeSeconds: numberFlag("--spot-notice"),
    historyDays: process.argv.includes("--no-history") ? 0 : numberFlag("--history-days"),
  });
}
