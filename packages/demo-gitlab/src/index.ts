import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { authenticate, type OAuthTokenLookup } from "./auth";
import { groupRoutes } from "./api/groups";
import { hookRoutes } from "./api/hooks";
import { jobRoutes } from "./api/jobs";
import { metaRoutes } from "./api/meta";
import { pipelineRoutes } from "./api/pipelines";
import { projectRoutes } from "./api/projects";
import { runnerRoutes } from "./api/runners";
import { CiEngine, STUCK_JOB_TIMEOUTS, type StuckJobTimeouts } from "./ci-engine";
import type { GitlabContext } from "./context";
import { Entities } from "./entities";
import { Router } from "./http";
import { DEFAULT_REVISION, DEFAULT_VERSION, type Instance } from "./instance";
import { createOidcProvider, type OidcClient } from "./oidc";
import { PushSchedule } from "./pushes";
import { SeededRandom } from "@ask-ci/seeded-random";
import { RateLimiter } from "./rate-limit";
import { runnerProtocolRoutes } from "./runner-api";
import { RunnerQueue } from "./runner-queue";
import { loadCredentials, saveCredentials, seedStore, type DemoCredentials } from "./seed";
import { createHandler } from "./server";
import { emptyState, Store } from "./store";
import { Webhooks } from "./webhooks";

export interface DemoGitlabOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where records, traces and credentials are kept; null keeps everything in memory. */
  stateDir?: string | null;
  /** Seed of the simulated pushes (commit shas, authors, branches, timing). */
  seed?: number;
  /** Simulated pushes per hour over all projects, each starting a pipeline; 0 turns them off. */
  pushesPerHour?: number;
  /** Workhorse's apiCiLongPollingDuration: how long POST /jobs/request waits for work (GitLab.com: 50 s). */
  longPollSeconds?: number;
  /** Authenticated API requests per minute per token (GitLab.com: 2000). */
  rateLimitPerMinute?: number;
  /** Unauthenticated API requests per minute per IP (GitLab.com: 500). */
  unauthenticatedRateLimitPerMinute?: number;
  /** Where to write the connection file (URL, tokens, users, OIDC client); none when unset. */
  infoPath?: string;
  /**
   * Redirect URIs of the OAuth application registered for ask-ci (GitLab checks them exactly);
   * default: the dashboard on port 3000 at /login/gitlab/callback, by localhost and 127.0.0.1.
   */
  oidcRedirectUris?: string[];
  /**
   * GitLab's stuck-job cleanup: after how long a silent running, a pending or a canceling job fails
   * with stuck_or_timeout_failure, and how often that is checked (GitLab: hourly). GitLab's values
   * unless set (STUCK_JOB_TIMEOUTS, STUCK_CHECK_EVERY_MS).
   */
  stuckJobs?: Partial<StuckJobTimeouts> & { checkEveryMs?: number };
  /** Pipelines kept (newest); older ones are removed with their jobs and traces. */
  keepPipelines?: number;
  version?: string;
  now?: () => number;
  persistDelayMs?: number;
  logRequests?: boolean;
}

/** GitLab runs its stuck-job cleanup (StuckCiJobsWorker) hourly: cron "0 * * * *". */
export const STUCK_CHECK_EVERY_MS = 60 * 60_000;

export interface DemoGitlabInfo {
  url: string;
  apiUrl: string;
  version: string;
  adminToken: string;
  readOnlyToken: string;
  users: DemoCredentials["users"];
  /** "Sign in with GitLab": the issuer is the instance URL, as on gitlab.com. */
  oidc: {
    issuer: string;
    discoveryUrl: string;
    clientId: string;
    clientSecret: string;
    redirectUris: string[];
    scopes: string;
  };
}

export interface DemoGitlab {
  url: string;
  info: DemoGitlabInfo;
  store: Store;
  ci: CiEngine;
  hooks: Webhooks;
  schedule: PushSchedule;
  stop(): Promise<void>;
}

export async function startDemoGitlab(options: DemoGitlabOptions = {}): Promise<DemoGitlab> {
  const now = options.now ?? Date.now;
  const stateDir = options.stateDir === undefined ? null : options.stateDir;
  const seed = options.seed ?? 42;
  let store = Store.load(stateDir, options.persistDelayMs);
  let credentials = loadCredentials(stateDir);
  if (store.isNew || !credentials) {
    // A state dir without its credentials cannot be used (tokens are kept only as digests): start afresh.
    store = new Store(emptyState(), stateDir, options.persistDelayMs);
    credentials = seedStore(store, new SeededRandom(seed).fork("seed"), now());
    saveCredentials(stateDir, credentials);
    store.saveNow();
  }
  if (!credentials.oidcClientId || !credentials.oidcClientSecret) {
    // GitLab application ids are 64 hex characters; secrets start with "gloas-".
    credentials.oidcClientId = crypto.randomBytes(32).toString("hex");
    credentials.oidcClientSecret = `gloas-${crypto.randomBytes(32).toString("hex")}`;
    saveCredentials(stateDir, credentials);
  }

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const instance: Instance = {
    externalUrl: `http://${host}:${address.port}`,
    version: options.version ?? DEFAULT_VERSION,
    revision: DEFAULT_REVISION,
  };
  const apiUrl = `${instance.externalUrl}/api/v4`;

  const queue = new RunnerQueue((options.longPollSeconds ?? 50) * 1000, store, now);
  const hooks = new Webhooks(store, instance, now);
  const stuck = options.stuckJobs ?? {};
  const stuckTimeouts: StuckJobTimeouts = {
    runningMs: stuck.runningMs ?? STUCK_JOB_TIMEOUTS.runningMs,
    pendingMs: stuck.pendingMs ?? STUCK_JOB_TIMEOUTS.pendingMs,
    cancelingMs: stuck.cancelingMs ?? STUCK_JOB_TIMEOUTS.cancelingMs,
  };
  const ci = new CiEngine(
    store,
    instance,
    now,
    {
      jobChanged: (job) => hooks.jobChanged(job),
      pipelineChanged: (pipeline) => hooks.pipelineChanged(pipeline),
      // Ci::UpdateBuildQueueService ticks the queue of every runner that could take the new job.
      jobQueued: (job) => {
        for (const runner of store.data.runners) if (ci.runnerCanPick(runner, job)) queue.tick(runner);
      },
    },
    stuckTimeouts,
  );
  hooks.attach(ci);
  const oauthLookup: { current?: OAuthTokenLookup } = {};
  const ctx: GitlabContext = {
    store,
    instance,
    entities: new Entities(store, instance, now),
    ci,
    queue,
    hooks,
    now,
    apiUrl,
    authenticate: (req, need) => authenticate(store, req, need, now(), oauthLookup.current),
  };
  const router = new Router();
  metaRoutes(router, ctx);
  projectRoutes(router, ctx);
  pipelineRoutes(router, ctx);
  jobRoutes(router, ctx);
  runnerRoutes(router, ctx);
  groupRoutes(router, ctx);
  hookRoutes(router, ctx);
  runnerProtocolRoutes(router, ctx);

  const rateLimiter = new RateLimiter(
    options.rateLimitPerMinute ?? 2000,
    options.unauthenticatedRateLimitPerMinute ?? 500,
    now,
  );
  const oidcClient: OidcClient = {
    clientId: credentials.oidcClientId,
    clientSecret: credentials.oidcClientSecret,
    redirectUris: options.oidcRedirectUris ?? [
      "http://localhost:3000/login/gitlab/callback",
      "http://127.0.0.1:3000/login/gitlab/callback",
    ],
    scopes: "openid profile email",
    name: "ask-ci",
  };
  const oidc = await createOidcProvider({
    issuer: instance.externalUrl,
    store,
    client: oidcClient,
    secretsPath: stateDir ? path.join(stateDir, "oidc-secrets.json") : null,
  });
  server.on(
    "request",
    createHandler({
      router,
      externalUrl: instance.externalUrl,
      rateLimiter,
      logRequests: options.logRequests,
      otherRoutes: oidc.handle,
    }),
  );

  const schedule = new PushSchedule(store, ci, seed, options.pushesPerHour ?? 20, now);
  schedule.start();
  const housekeeping = setInterval(() => store.prunePipelines(options.keepPipelines ?? 2000), 60_000);
  housekeeping.unref();
  const stuckCheck = setInterval(() => ci.dropStuckJobs(), stuck.checkEveryMs ?? STUCK_CHECK_EVERY_MS);
  stuckCheck.unref();

  const info: DemoGitlabInfo = {
    url: instance.externalUrl,
    apiUrl,
    version: instance.version,
    adminToken: credentials.adminToken,
    readOnlyToken: credentials.readOnlyToken,
    users: credentials.users,
    oidc: {
      issuer: instance.externalUrl,
      discoveryUrl: `${instance.externalUrl}/.well-known/openid-configuration`,
      clientId: oidcClient.clientId,
      clientSecret: oidcClient.clientSecret,
      redirectUris: oidcClient.redirectUris,
      scopes: oidcClient.scopes,
    },
  };
  if (options.infoPath) writeInfo(options.infoPath, info);

  return {
    url: instance.externalUrl,
    info,
    store,
    ci,
    hooks,
    schedule,
    async stop() {
      schedule.stop();
      clearInterval(housekeeping);
      clearInterval(stuckCheck);
      queue.releaseAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await hooks.idle();
      store.saveNow();
    },
  };
}

function writeInfo(file: string, info: DemoGitlabInfo): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}
