import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { getApiJson } from "@/lib/monitor/kube-source.server";
import type { NamespaceObject } from "./ownership";

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

interface ResourceList {
  groupVersion?: string;
  resources?: ApiResource[];
}

interface GroupList {
  groups?: Array<{ preferredVersion?: { groupVersion?: string } }>;
}

interface ObjectList {
  items?: NamespaceObject[];
  metadata?: { continue?: string };
}

// Events record what happened to objects; they are not objects anyone would miss.
const IGNORED = new Set(["v1/events", "events.k8s.io/v1/events"]);

/** Every namespaced resource the cluster serves and lets us list, by discovery (as `kubectl api-resources --namespaced`). */
async function namespacedResources(kc: KubeConfig): Promise<Array<{ groupVersion: string; resource: ApiResource }>> {
  const core = await getApiJson<ResourceList>(kc, "/api/v1");
  const groups = await getApiJson<GroupList>(kc, "/apis");
  const lists: ResourceList[] = [{ ...core, groupVersion: "v1" }];
  for (const group of groups.groups ?? []) {
    const groupVersion = group.preferredVersion?.groupVersion;
    if (groupVersion) lists.push({ ...(await getApiJson<ResourceList>(kc, `/apis/${groupVersion}`)), groupVersion });
  }
  return lists.flatMap((list) =>
    (list.resources ?? [])
      .filter((r) => r.namespaced && !r.name.includes("/") && (r.verbs ?? []).includes("list"))
      .filter((r) => !IGNORED.has(`${list.groupVersion}/${r.name}`))
      .map((resource) => ({ groupVersion: list.groupVersion!, resource })),
  );
}

export interface NamespaceContents {
  objects: NamespaceObject[];
  /** "apps/v1/ReplicaSet": every namespaced kind served, so an owner reference can be told dangling. */
  namespacedKinds: Set<string>;
}

/**
 * Every object in a namespace, of every kind the cluster serves (what deleting the namespace would
 * delete). Throws when discovery or a list is refused: the caller must then assume the worst.
 */
export async function listNamespaceContents(kc: KubeConfig, namespace: string): Promise<NamespaceContents> {
  const objects: NamespaceObject[] = [];
  const resources = await namespacedResources(kc);
  const namespacedKinds = new Set(resources.map(({ groupVersion, resource }) => `${groupVersion}/${resource.kind}`));
  for (const { groupVersion, resource } of resources) {
    const base = groupVersion === "v1" ? "/api/v1" : `/apis/${groupVersion}`;
    let next: string | undefined;
    do {
      const query = new URLSearchParams({ limit: "500", ...(next ? { continue: next } : {}) });
      const page = await getApiJson<ObjectList>(
        kc,
        `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.name}?${query}`,
      );
      for (const item of page.items ?? []) objects.push({ ...item, apiVersion: groupVersion, kind: resource.kind });
      next = page.metadata?.continue || undefined;
    } while (next);
  }
  return { objects, namespacedKinds };
}
