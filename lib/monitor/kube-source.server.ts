import "server-only";
import { CoreV1Api, Watch, type KubeConfig } from "@kubernetes/client-node";
import type { Pod } from "@/lib/kube/pod";
import type { ListWatchSource } from "./watch-cache";

const PAGE_SIZE = 500;

/** The generated client returns Dates; everything downstream reads API JSON (RFC 3339 strings). */
export function toApiJson<T>(object: unknown): T {
  return JSON.parse(JSON.stringify(object)) as T;
}

/**
 * List + watch of pods in one namespace through @kubernetes/client-node: paged lists, watches
 * with BOOKMARKs and a server-side timeout (so a half-open connection cannot hang forever).
 */
export function podListWatchSource(config: () => Promise<KubeConfig>, namespace: string, labelSelector: string | undefined): ListWatchSource<Pod> {
  return {
    async list() {
      const api = (await config()).makeApiClient(CoreV1Api);
      const items: Pod[] = [];
      let next: string | undefined;
      let resourceVersion = "";
      do {
        const page = await api.listNamespacedPod({ namespace, labelSelector, limit: PAGE_SIZE, _continue: next });
        items.push(...toApiJson<Pod[]>(page.items));
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        next = page.metadata?._continue || undefined;
      } while (next);
      return { items, resourceVersion };
    },
    async watch(resourceVersion, onEvent, onDone) {
      const watch = new Watch(await config());
      const controller = await watch.watch(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
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
