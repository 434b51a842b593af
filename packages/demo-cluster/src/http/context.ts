import type { Authorizer, ClusterTokens } from "../auth";
import type { OpenApi } from "../openapi";
import type { ResourceRegistry } from "../resources";
import type { MemoryStore } from "../store";
import type { Clock, PodLogSource } from "../types";

/** What the server is built from (see createRequestHandler). */
export interface ServerContext {
  store: MemoryStore;
  registry: ResourceRegistry;
  openapi: OpenApi;
  tokens: ClusterTokens;
  authorizer: Authorizer;
  /** Where pod logs come from (the simulation's kubelet, or the in-memory default). */
  logs: () => PodLogSource;
  clock: Clock;
  /** "127.0.0.1:6443", for serverAddressByClientCIDRs. */
  address: () => string;
  bookmarkIntervalMs?: number;
  maxBodyBytes?: number;
  /** Log each request to stderr (DEMO_CLUSTER_LOG_REQUESTS=1). */
  logRequests?: boolean;
}

/** What every handler sees: the server's parts plus the open streams, so shutdown can end them. */
export interface HandlerContext extends ServerContext {
  maxBody: number;
  bookmarkMs: number;
  /** `finish` of every open watch and log stream. */
  streams: Set<() => void>;
}
