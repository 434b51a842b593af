import "server-only";
import fs from "node:fs";
import path from "node:path";
import { onShutdown } from "@/lib/lifecycle";
import { log } from "@/lib/observability/log";
import { checkTargetOffline } from "./certificates";
import { createConnection, loadTarget, updateConnection } from "./store.server";
import { db } from "@/lib/db.server";
import type { ConnectionTarget } from "./target";

/** Where Kubernetes mounts a pod's ServiceAccount token and the cluster's CA. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
// The kubelet rotates a projected token at 80% of its life (an hour by default): re-read well before.
const REFRESH_MS = 5 * 60_000;

/**
 * The cluster this pod runs in, as a connection target: the API server from the service
 * environment Kubernetes sets, the pod's ServiceAccount token and the cluster CA (as client-node's
 * loadFromCluster reads them). Null outside a cluster.
 */
export function inClusterTarget(
  env: Record<string, string | undefined>,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): ConnectionTarget | null {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? "443";
  const tokenFile = path.join(serviceAccountDir, "token");
  if (!host || !fs.existsSync(tokenFile)) return null;
  const caFile = path.join(serviceAccountDir, "ca.crt");
  return {
    server: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    skipTlsVerify: false,
    authType: "token",
    credentials: {
      token: fs.readFileSync(tokenFile, "utf8").trim(),
      ...(fs.existsSync(caFile) ? { caCertificate: fs.readFileSync(caFile, "utf8") } : {}),
    },
  };
}

export type InClusterSync = "created" | "updated" | "unchanged" | "not-in-cluster" | "unusable";

/**
 * Registers the cluster ask-ci runs in as the connection `name`, or refreshes its stored token when
 * the kubelet has rotated it. The rights are the ServiceAccount's (deploy/: one Role in the runner
 * namespace). Idempotent; safe on every replica.
 */
export async function syncInClusterConnection(
  name: string,
  env: Record<string, string | undefined> = process.env,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): Promise<InClusterSync> {
  const target = inClusterTarget(env, serviceAccountDir);
  if (!target) return "not-in-cluster";
  const checked = checkTargetOffline(target);
  if (!checked.ok) return "unusable";
  const existing = await db.connection.findUnique({ where: { name }, select: { id: true } });
  if (!existing) {
    await createConnection({ name, target, caFingerprint: checked.value.caFingerprint });
    return "created";
  }
  const stored = await loadTarget(existing.id);
  if (
    stored &&
    stored.target.server === target.server &&
    stored.target.credentials.token === target.credentials.token &&
    stored.target.credentials.caCertificate === target.credentials.caCertificate
  ) {
    return "unchanged";
  }
  await updateConnection(existing.id, { target: { target, caFingerprint: checked.value.caFingerprint } });
  return "updated";
}

/** With ASK_CI_IN_CLUSTER_CONNECTION set: sync now and every few minutes (called at start). */
export function startInClusterConnection(env: Record<string, string | undefined> = process.env): void {
  const name = env.ASK_CI_IN_CLUSTER_CONNECTION;
  if (!name) return;
  const sync = () =>
    syncInClusterConnection(name, env).then(
      (result) => {
        if (result !== "unchanged") log().info({ connection: name, result }, "in-cluster connection");
      },
      (error: unknown) => {
        // Another replica creating it at the same moment is fine; the next round sees it.
        if ((error as { code?: string }).code !== "P2002") {
          log().warn({ connection: name, err: error }, "in-cluster connection: sync failed");
        }
      },
    );
  void sync();
  const timer = setInterval(() => void sync(), REFRESH_MS);
  timer.unref?.();
  onShutdown({ name: "in-cluster connection refresh", run: () => clearInterval(timer) });
}
