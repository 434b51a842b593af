import "server-only";
import http from "node:http";
import https from "node:https";
import { Watch, type KubeConfig } from "@kubernetes/client-node";
import type { Pod } from "@/lib/kube/pod";
import { podFromApi } from "@/lib/kube/pod-input";
import { ALL_NAMESPACES } from "./validation";
import type { ListWatchSource } from "./watch-cache";

const PAGE_SIZE = 500;
/**
 * Longest silence on a list request before it is given up (and retried): an API server that
 * vanished without closing the connection (a network partition, a dropped NAT entry) would
 * otherwise hold the monitor in "reconnecting" for good.
 */
const LIST_IDLE_TIMEOUT_MS = 30_000;

/** The generated client returns Dates; everything downstream reads API JSON (RFC 3339 strings). */
export function toApiJson<T>(object: unknown): T {
  return JSON.parse(JSON.stringify(object)) as T;
}

interface PodListPage {
  items?: Pod[];
  metadata?: { resourceVersion?: string; continue?: string };
}

/**
 * GET of an API path as plain JSON, with the kubeconfig's credentials, TLS and proxy (the agent
 * client-node builds for its own watches). The generated client would deserialize every pod into
 * model objects with Dates that toApiJson then turns back into JSON: at 10,000 pods that round
 * trip was most of the list's time and a large transient heap. A non-2xx answer throws an Error
 * with `statusCode` (410 Gone makes the cache relist).
 */
export async function getApiJson<T>(kc: KubeConfig, pathAndQuery: string): Promise<T> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error("kubeconfig has no current cluster");
  const url = new URL(server.replace(/\/+$/, "") + pathAndQuery);
  const options: https.RequestOptions = { method: "GET", headers: { accept: "application/json" } };
  await kc.applyToHTTPSOptions(options);
  const transport = url.protocol === "http:" ? http : https;
  return new Promise<T>((resolve, reject) => {
    const request = transport.request(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          try {
            resolve(JSON.parse(text) as T);
          } catch {
            reject(new Error(`GET ${url.pathname}: the API answered ${status} with a body that is not JSON`));
          }
          return;
        }
        let message = `GET ${url.pathname}: HTTP ${status}`;
        try {
          message = (JSON.parse(text) as { message?: string }).message || message;
        } catch {
          // Not a Status object: keep the HTTP status line.
        }
        reject(Object.assign(new Error(message), { statusCode: status }));
      });
    });
    request.on("error", reject);
    request.setTimeout(LIST_IDLE_TIMEOUT_MS, () =>
      request.destroy(new Error(`GET ${url.pathname}: no answer for ${LIST_IDLE_TIMEOUT_MS / 1000} s`)),
    );
    request.end();
  });
}

/** The pods collection of one namespace, or of every namespace (ALL_NAMESPACES). */
function podsPath(namespace: string): string {
  return namespace === ALL_NAMESPACES ? "/api/v1/pods" : `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}

/**
 * A listed pod parsed and slimmed as its page arrives. One the parser or slimmer cannot take is
 * passed on as it came: the cache's own parse step logs and skips it, and the list goes on.
 */
function slimListed(item: unknown, slim: (pod: Pod) => Pod): Pod {
  try {
    const pod = podFromApi(item);
    if (!pod) return item as Pod;
    if (pod.metadata?.managedFields) delete pod.metadata.managedFields;
    return slim(pod);
  } catch {
    return item as Pod;
  }
}

/**
 * List + watch of pods in one namespace (or all of them) through @kubernetes/client-node: paged lists, watches
 * with BOOKMARKs and a server-side timeout (so a half-open connection cannot hang forever).
 */
export function podListWatchSource(
  config: () => Promise<KubeConfig>,
  namespace: string,
  labelSelector: string | undefined,
  /** Applied to each listed pod as its page arrives, so a full list of fat pods never sits in memory at once. */
  slim: (pod: Pod) => Pod = (pod) => pod,
): ListWatchSource<Pod> {
  return {
    async list() {
      const kc = await config();
      const items: Pod[] = [];
      let next: string | undefined;
      let resourceVersion = "";
      do {
        const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
        if (labelSelector) query.set("labelSelector", labelSelector);
        if (next) query.set("continue", next);
        const page = await getApiJson<PodListPage>(kc, `${podsPath(namespace)}?${query}`);
        for (const item of Array.isArray(page.items) ? page.items : []) items.push(slimListed(item, slim));
        resourceVersion = typeof page.metadata?.resourceVersion === "string" ? page.metadata.resourceVersion : "";
        next =
          typeof page.metadata?.continue === "string" && page.metadata.continue ? page.metadata.continue : undefined;
      } while (next);
      return { items, resourceVersion };
    },
    async watch(resourceVersion, onEvent, onDone) {
      const watch = new Watch(await config());
      const controller = await watch.watch(
        podsPath(namespace),
        {
          resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: 240 + Math.floor(Math.random() * 120),
          ...(labelSelector ? { labelSelector } : {}),
        },
        (type, object) => onEvent(type as Parameters<typeof onEvent>[0], object),
        onDone,
      );
      return { abort: () => controller.abort() };
    },
  };
}
