import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import YAML from "yaml";
import { Authorizer, loadOrCreateTokens } from "./auth";
import { loadOrCreateCerts } from "./certs";
import { realClock } from "./clock";
import { MemoryPodLogSource } from "./logs";
import { OpenApi } from "./openapi";
import { Persister, readSnapshot } from "./persistence";
import { startControlPlane } from "./controllers";
import { startVolumeBinder } from "./pv-binder";
import { ResourceRegistry } from "./resources";
import { seedCluster, VIRTUAL_NODE_NAME } from "./seed";
import { createRequestHandler } from "./server";
import { startSimulation } from "./sim";
import { refreshWorkload, seedDemoWorkload } from "./sim/seed-workload";
import { MemoryStore } from "./store";
import type { Clock, KubeObject, PodLogSource } from "./types";

export { MemoryStore } from "./store";
export { MemoryPodLogSource } from "./logs";
export { ApiError } from "./errors";
export { KUBE_VERSION } from "./server";
export { VIRTUAL_NODE_NAME } from "./seed";

export interface DemoClusterOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Where certificates, tokens and the object snapshot live; without it nothing is kept. */
  stateDir?: string;
  /** Also write the admin kubeconfig here. */
  kubeconfigPath?: string;
  seed?: number;
  /** Average rate at which the simulated runner receives CI jobs. Default 6. */
  jobsPerMinute?: number;
  /** Simulated job minutes per real minute (5 turns 1–15 min jobs into 12 s–3 min). Default 5. */
  speed?: number;
  /** Share of job pods that hit a random failure (image pull, stuck Pending, OOM, deleted mid-run), 0–1. Default 0.02. */
  failureRate?: number;
  /** Milliseconds between ECI's SpotToBeReleased warning and a spot reclaim. Default 180 000 (ECI's "about 3 minutes"). */
  spotNoticeMs?: number;
  /** Change events kept for watch resume (older resourceVersions get 410 Gone). */
  watchWindow?: number;
  clock?: Clock;
  /** Run the simulated controllers (scheduler/kubelet, Deployments, ImageCache, GitLab Runner). Default true. */
  simulate?: boolean;
  /** Deploy the demo GitLab Runner workload on first start. Default: same as simulate. */
  seedWorkload?: boolean;
  /**
   * The workload to deploy in place of the built-in demo runners (sim/demo-runners.yaml), e.g. the
   * same runners registered in a GitLab: created on first start, and on later starts the objects
   * that still exist are replaced by these (a new token or URL reaches the runner).
   */
  workload?: KubeObject[];
  /** BOOKMARK interval for watches that allow them. Default 60 s. */
  bookmarkIntervalMs?: number;
  /** Longest a gracefully deleted pod lingers when nothing finishes it. Default 3 s without the simulation, unbounded with it (the kubelet finishes pods). */
  gracefulDeletionMaxMs?: number;
  /** Events older than this are deleted, as by kube-apiserver's --event-ttl. Default 1 h. */
  eventTtlMs?: number;
  /** Snapshot write debounce. Default 1 s. */
  persistDelayMs?: number;
  logRequests?: boolean;
}

export interface DemoCluster {
  url: string;
  /** Admin kubeconfig (YAML): cluster with CA data, token user, context "demo". */
  kubeconfig: string;
  /** Same cluster, as the namespaced read-only user of the limited token. */
  limitedKubeconfig: string;
  kubeconfigPath?: string;
  adminToken: string;
  limitedToken: string;
  caPem: string;
  store: MemoryStore;
  logs: PodLogSource;
  /** Ends every open watch and log stream, as an apiserver timeout or restart would (tests use it). */
  closeWatches(): void;
  stop(): Promise<void>;
}

function renewNodeLease(store: MemoryStore): void {
  const ref = { apiVersion: "coordination.k8s.io/v1", kind: "Lease" };
  const lease = store.get(ref, "kube-node-lease", VIRTUAL_NODE_NAME);
  if (!lease) return;
  const renewTime = new Date(store.clock.now()).toISOString().replace(/Z$/, "000Z");
  try {
    store.update({ ...lease, spec: { ...(lease.spec as object), renewTime } });
  } catch {
    // Someone else wrote it meanwhile; the next sweep renews it.
  }
}

export function buildKubeconfig(
  url: string,
  caPem: string,
  token: string,
  user = "demo-admin",
  namespace?: string,
): string {
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: "demo", cluster: { server: url, "certificate-authority-data": Buffer.from(caPem).toString("base64") } },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: "demo", context: { cluster: "demo", user, ...(namespace ? { namespace } : {}) } }],
    "current-context": "demo",
    preferences: {},
  });
}

/** Starts the demo ASK cluster: an HTTPS Kubernetes API server over an in-memory store, plus the simulation. */
export async function startDemoCluster(options: DemoClusterOptions = {}): Promise<DemoCluster> {
  if (options.speed !== undefined && !(options.speed > 0))
    throw new RangeError(`speed must be above 0, got ${options.speed}`);
  if (options.failureRate !== undefined && !(options.failureRate >= 0 && options.failureRate <= 1)) {
    throw new RangeError(`failureRate must be from 0 to 1, got ${options.failureRate}`);
  }
  const host = options.host ?? "127.0.0.1";
  const stateDir = options.stateDir ? path.resolve(options.stateDir) : undefined;
  const clock = options.clock ?? realClock;
  const certs = await loadOrCreateCerts(stateDir);
  const tokens = loadOrCreateTokens(stateDir);
  const registry = new ResourceRegistry();
  const openapi = new OpenApi(registry);
  const store = new MemoryStore({
    registry,
    clock,
    watchWindow: options.watchWindow,
    // With the simulation, the kubelet ends graceful deletions when their grace period is over.
    gracefulDeletionMaxMs: options.gracefulDeletionMaxMs ?? ((options.simulate ?? true) ? Infinity : undefined),
    unknownFields: (res, obj, prune) => openapi.unknownFields(res, obj, prune),
  });

  const snapshot = stateDir ? readSnapshot(stateDir) : undefined;
  const firstStart = !snapshot;
  if (snapshot) store.restore(snapshot);
  seedCluster(store, certs.caPem);

  // Garbage collection, namespace deletion and CRD status run in every cluster, simulated or not.
  const stopControlPlane = startControlPlane(store, { clock });
  const simulate = options.simulate ?? true;
  const fallbackLogs = new MemoryPodLogSource(() => clock.now());
  let logs: PodLogSource = fallbackLogs;
  let simulation: { stop(): void; logs: PodLogSource } | undefined;
  let stopBinder: (() => void) | undefined;
  if (simulate) {
    stopBinder = startVolumeBinder(store);
    simulation = startSimulation(store, {
      seed: options.seed,
      jobsPerMinute: options.jobsPerMinute,
      speed: options.speed,
      failureRate: options.failureRate,
      spotNoticeMs: options.spotNoticeMs,
      eventTtlMs: options.eventTtlMs,
      clock,
    });
    logs = simulation.logs;
  }
  if (options.seedWorkload ?? simulate) {
    if (firstStart) seedDemoWorkload(store, options.workload);
    else if (options.workload) refreshWorkload(store, options.workload);
  }

  const persister = stateDir ? new Persister(store, stateDir, options.persistDelayMs) : undefined;

  const eventTtl = options.eventTtlMs ?? 3600_000;
  let cancelSweep: (() => void) | undefined;
  const sweep = () => {
    store.expireEvents(eventTtl);
    renewNodeLease(store);
    cancelSweep = clock.setTimeout(sweep, Math.min(60_000, eventTtl));
  };
  sweep();

  let address = "";
  const handler = createRequestHandler({
    store,
    registry,
    openapi,
    tokens,
    authorizer: new Authorizer(store),
    logs: () => logs,
    clock,
    address: () => address,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
    logRequests: options.logRequests ?? process.env.DEMO_CLUSTER_LOG_REQUESTS === "1",
  });
  const server: Server = createServer({ key: certs.keyPem, cert: certs.certPem }, handler.handle);
  server.keepAliveTimeout = 65_000;
  server.on("upgrade", handler.upgrade);
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("tlsClientError", () => {
    // A client that refused our certificate (or spoke plain HTTP): nothing to answer.
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const url = `https://${urlHost}:${port}`;
  address = `${urlHost}:${port}`;

  const kubeconfig = buildKubeconfig(url, certs.caPem, tokens.admin);
  const limitedKubeconfig = buildKubeconfig(url, certs.caPem, tokens.limited, "demo-viewer", "gitlab-runner");
  if (options.kubeconfigPath) {
    mkdirSync(path.dirname(path.resolve(options.kubeconfigPath)), { recursive: true });
    writeFileSync(options.kubeconfigPath, kubeconfig, { mode: 0o600 });
  }
  if (stateDir) {
    writeFileSync(path.join(stateDir, "admin.kubeconfig"), kubeconfig, { mode: 0o600 });
    writeFileSync(path.join(stateDir, "viewer.kubeconfig"), limitedKubeconfig, { mode: 0o600 });
  }

  let stopped = false;
  return {
    url,
    kubeconfig,
    limitedKubeconfig,
    kubeconfigPath: options.kubeconfigPath,
    adminToken: tokens.admin,
    limitedToken: tokens.limited,
    caPem: certs.caPem,
    store,
    logs,
    closeWatches: () => handler.closeStreams(),
    async stop() {
      if (stopped) return;
      stopped = true;
      simulation?.stop();
      stopBinder?.();
      stopControlPlane();
      cancelSweep?.();
      handler.closeStreams();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive connections would hold close() open; in-flight requests have ended above.
        server.closeIdleConnections();
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 200).unref();
      });
      store.close();
      persister?.close();
    },
  };
}
