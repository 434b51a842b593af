import { describe, expect, it } from "vitest";
import type { KubeObject } from "../types";
import { DEPLOYMENT, POD, REPLICA_SET } from "./kinds";
import { simulate } from "./testing/harness";

function deployment(image: string, replicas = 2): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image }] } },
    },
  };
}

const status = (object: KubeObject | undefined) =>
  (object?.status ?? {}) as Record<string, unknown> & {
    conditions?: Array<{ type: string; status: string; reason: string }>;
  };

describe("Deployment and ReplicaSet controllers", () => {
  it("creates a ReplicaSet per template hash and its pods, and reports availability", () => {
    const h = simulate();
    h.store.create(deployment("nginx:1.27"));
    h.clock.advance(60_000);

    const replicaSets = h.store.list(REPLICA_SET, { namespace: "default" });
    expect(replicaSets).toHaveLength(1);
    const rs = replicaSets[0];
    const hash = rs.metadata.labels?.["pod-template-hash"];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Deployment", name: "web", controller: true });

    const pods = h.store.list(POD, { namespace: "default" });
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.metadata.name.startsWith(`web-${hash}-`)).toBe(true);
      expect(pod.metadata.labels).toMatchObject({ app: "web", "pod-template-hash": hash });
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({ kind: "ReplicaSet", name: rs.metadata.name });
      expect(status(pod).phase).toBe("Running");
    }
    expect(status(h.store.get(REPLICA_SET, "default", rs.metadata.name))).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      observedGeneration: 1,
    });
    const d = h.store.get(DEPLOYMENT, "default", "web");
    expect(status(d)).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
      observedGeneration: 1,
    });
    expect(status(d).conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ["Available", "True", "MinimumReplicasAvailable"],
      ["Progressing", "True", "NewReplicaSetAvailable"],
    ]);
    expect(h.errors).toEqual([]);
  });

  it("replaces a deleted pod", () => {
    const h = simulate();
    h.store.create(deployment("nginx:1.27", 1));
    h.clock.advance(60_000);
    const [first] = h.store.list(POD, { namespace: "default" });
    h.store.delete(POD, "default", first.metadata.name);
    h.clock.advance(60_000);
    const pods = h.store.list(POD, { namespace: "default" });
    expect(pods).toHaveLength(1);
    expect(pods[0].metadata.name).not.toBe(first.metadata.name);
    expect(status(pods[0]).phase).toBe("Running");
  });

  it("rolls pods over to a new ReplicaSet when the template changes", () => {
    const h = simulate();
    h.store.create(deployment("nginx:1.27", 2));
    h.clock.advance(60_000);
    const old = h.store.list(REPLICA_SET)[0];
    const current = h.store.get(DEPLOYMENT, "default", "web")!;
    const updated = deployment("nginx:1.28", 2);
    h.store.update({ ...updated, metadata: { ...current.metadata } });
    h.clock.advance(3 * 60_000);

    const replicaSets = h.store.list(REPLICA_SET);
    expect(replicaSets).toHaveLength(2);
    const fresh = replicaSets.find((rs) => rs.metadata.name !== old.metadata.name)!;
    expect((h.store.get(REPLICA_SET, "default", old.metadata.name)!.spec as { replicas: number }).replicas).toBe(0);
    expect((fresh.spec as { replicas: number }).replicas).toBe(2);
    expect(fresh.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    const images = h.store
      .list(POD)
      .map((p) => (p.spec as { containers: Array<{ image: string }> }).containers[0].image);
    expect(images).toEqual(["nginx:1.28", "nginx:1.28"]);
    expect(status(h.store.get(DEPLOYMENT, "default", "web"))).toMatchObject({
      observedGeneration: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
    });
  });
});
