import "server-only";
import { CoreV1Api, Log, type KubeConfig } from "@kubernetes/client-node";
import { kubeConfigForConnection } from "@/lib/connections/kube-client.server";
import type { Pod } from "@/lib/kube/pod";
import { podFromApi } from "@/lib/kube/pod-input";
import type { IEvent } from "kubernetes-models/v1/Event";
import { toApiJson } from "./kube-source.server";
import type { ListWatchSource } from "./watch-cache";
import { Watch } from "@kubernetes/client-node";

export async function readPod(connectionId: string, namespace: string, name: string): Promise<Pod> {
  const api = (await kubeConfigForConnection(connectionId)).makeApiClient(CoreV1Api);
  const pod = podFromApi(toApiJson<unknown>(await api.readNamespacedPod({ namespace, name })));
  if (!pod) throw new Error(`The API server answered with something that is not a pod for ${namespace}/${name}`);
  return pod;
}

export async function deletePod(connectionId: string, namespace: string, name: string): Promise<void> {
  const api = (await kubeConfigForConnection(connectionId)).makeApiClient(CoreV1Api);
  await api.deleteNamespacedPod({ namespace, name });
}

/** List + watch of the events about one pod, for the detail panel's live event list. */
export function podEventsSource(config: KubeConfig, namespace: string, podName: string): ListWatchSource<IEvent> {
  const fieldSelector = `involvedObject.kind=Pod,involvedObject.name=${podName}`;
  return {
    async list() {
      const list = await config.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace, fieldSelector });
      return { items: toApiJson<IEvent[]>(list.items), resourceVersion: list.metadata?.resourceVersion ?? "" };
    },
    async watch(resourceVersion, onEvent, onDone) {
      const controller = await new Watch(config).watch(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
        { resourceVersion, fieldSelector, allowWatchBookmarks: true, timeoutSeconds: 300 },
        (type, object) => onEvent(type as Parameters<typeof onEvent>[0], object),
        onDone,
      );
      return { abort: () => controller.abort() };
    },
  };
}

export interface LogRequest {
  container: string;
  follow: boolean;
  previous: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
}

/** Streams a container's log into `sink`; abort the returned controller to stop following. */
export async function streamPodLog(
  connectionId: string,
  namespace: string,
  name: string,
  request: LogRequest,
  sink: NodeJS.WritableStream,
): Promise<AbortController> {
  const log = new Log(await kubeConfigForConnection(connectionId));
  return log.log(namespace, name, request.container, sink as import("node:stream").Writable, {
    follow: request.follow,
    previous: request.previous,
    tailLines: request.tailLines,
    timestamps: request.timestamps ?? false,
    sinceSeconds: request.sinceSeconds,
  });
}
