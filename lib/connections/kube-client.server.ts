import "server-only";
import { KubeConfig } from "@kubernetes/client-node";
import { loadTarget } from "./store.server";
import { ConnectionProblemError, problem } from "./problems";
import type { ConnectionTarget } from "./target";

export { listConnections, resolveConnection } from "./store.server";

interface CachedConfig {
  updatedAt: number;
  config: KubeConfig;
}

// On globalThis so every server bundle in the process (pages, actions, routes) shares one cache.
const globalCache = globalThis as unknown as { askCiKubeConfigs?: Map<string, CachedConfig> };
const cache = (globalCache.askCiKubeConfigs ??= new Map());

/**
 * A client configuration for a stored connection, built from its decrypted credentials. Cached per
 * connection; a stale entry (the row changed, e.g. in another process) is rebuilt.
 * Throws ConnectionProblemError("notFound") for an unknown id and DecryptionError for a wrong key.
 */
export async function kubeConfigForConnection(connectionId: string): Promise<KubeConfig> {
  const loaded = await loadTarget(connectionId);
  if (!loaded) {
    cache.delete(connectionId);
    throw new ConnectionProblemError(problem("notFound"));
  }
  const cached = cache.get(connectionId);
  if (cached && cached.updatedAt === loaded.updatedAt.getTime()) return cached.config;
  const config = kubeConfigFromTarget(loaded.target);
  cache.set(connectionId, { updatedAt: loaded.updatedAt.getTime(), config });
  return config;
}

/** Drops the cached client of a connection (call after editing or deleting it). */
export function invalidateConnection(connectionId: string): void {
  cache.delete(connectionId);
}

/** A KubeConfig with one context for a target. Only in-memory data: no files, no exec plugins. */
export function kubeConfigFromTarget(target: ConnectionTarget): KubeConfig {
  const { credentials } = target;
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      {
        name: "cluster",
        server: target.server.replace(/\/+$/, ""),
        skipTLSVerify: target.skipTlsVerify,
        ...(credentials.caCertificate ? { caData: Buffer.from(credentials.caCertificate).toString("base64") } : {}),
        ...(credentials.tlsServerName ? { tlsServerName: credentials.tlsServerName } : {}),
      },
    ],
    users: [
      target.authType === "token"
        ? { name: "user", token: credentials.token }
        : {
            name: "user",
            certData: Buffer.from(credentials.clientCertificate ?? "").toString("base64"),
            keyData: Buffer.from(credentials.clientKey ?? "").toString("base64"),
          },
    ],
    contexts: [{ name: "default", cluster: "cluster", user: "user" }],
    currentContext: "default",
  });
  return config;
}
