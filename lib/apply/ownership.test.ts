import { describe, expect, it } from "vitest";
import {
  describeObjects,
  foreignObjects,
  isOwnedBy,
  OWNER_ANNOTATION,
  withOwnerMark,
  type NamespaceObject,
} from "./ownership";

const owner = { namespace: "ci", instanceName: "runner-a" };
const mark = { [OWNER_ANNOTATION]: "ci/runner-a" };

function object(kind: string, name: string, metadata: NamespaceObject["metadata"] = {}, extra = {}): NamespaceObject {
  return {
    apiVersion: kind === "Deployment" || kind === "ReplicaSet" ? "apps/v1" : "v1",
    kind,
    metadata: { name, uid: `${kind}-${name}`, ...metadata },
    ...extra,
  };
}

describe("isOwnedBy", () => {
  it.each([
    ["the instance's mark", { annotations: mark }, true],
    ["another instance's mark", { annotations: { [OWNER_ANNOTATION]: "ci/runner-b" } }, false],
    ["the same instance name in another namespace", { annotations: { [OWNER_ANNOTATION]: "other/runner-a" } }, false],
    [
      "ask-ci's labels without the mark",
      { labels: { "app.kubernetes.io/managed-by": "ask-ci", "app.kubernetes.io/instance": "runner-a" } },
      false,
    ],
    ["no metadata at all", undefined, false],
  ])("%s → %s", (_name, metadata, expected) => {
    expect(isOwnedBy({ metadata }, owner)).toBe(expected);
  });
});

describe("withOwnerMark", () => {
  it("adds the mark beside the object's own annotations without changing the generated object", () => {
    const generated = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", annotations: { a: "1" } } };
    const marked = withOwnerMark(generated, owner);
    expect(marked.metadata.annotations).toEqual({ a: "1", ...mark });
    expect(generated.metadata.annotations).toEqual({ a: "1" });
  });
});

describe("foreignObjects: what deleting the namespace would take from others", () => {
  const deployment = object("Deployment", "runner-a", { annotations: mark });
  const replicaSet = object("ReplicaSet", "runner-a-5d9", {
    ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", uid: deployment.metadata!.uid }],
  });
  const runnerPod = object("Pod", "runner-a-5d9-x", {
    ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", uid: replicaSet.metadata!.uid }],
  });
  const serviceAccount = object("ServiceAccount", "runner-a", { annotations: mark });
  const namespacedKinds = new Set(["apps/v1/ReplicaSet", "apps/v1/Deployment", "v1/Pod"]);

  it.each<[string, NamespaceObject, boolean]>([
    ["an object ask-ci created for the instance", deployment, false],
    ["a bystander ConfigMap", object("ConfigMap", "bystander"), true],
    [
      "an object another instance created",
      object("Secret", "b-token", { annotations: { [OWNER_ANNOTATION]: "ci/runner-b" } }),
      true,
    ],
    ["the default ServiceAccount", object("ServiceAccount", "default"), false],
    ["the cluster's CA ConfigMap", object("ConfigMap", "kube-root-ca.crt"), false],
    ["another ServiceAccount", object("ServiceAccount", "deployer"), true],
    ["the runner's ReplicaSet (owned by ask-ci's Deployment)", replicaSet, false],
    ["the runner's pod (owned through the ReplicaSet)", runnerPod, false],
    [
      "a job pod of the instance's runner",
      object("Pod", "runner-job-1", { labels: { "manager.runner.gitlab.com/name": "runner-a-eci" } }),
      false,
    ],
    [
      "a job pod of another runner",
      object("Pod", "other-job-1", { labels: { "manager.runner.gitlab.com/name": "theirs" } }),
      true,
    ],
    [
      "a Secret a job pod of ours owns",
      object("Secret", "job-creds", { ownerReferences: [{ apiVersion: "v1", kind: "Pod", uid: "Pod-runner-job-1" }] }),
      false,
    ],
    ["a pod already being deleted", object("Pod", "going", { deletionTimestamp: "2026-01-01T00:00:00Z" }), false],
    [
      "a pod whose ReplicaSet is gone (garbage-collected)",
      object("Pod", "orphan", { ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", uid: "gone" }] }),
      false,
    ],
    [
      "an object owned by something outside the namespace (cannot tell it is going)",
      object("ConfigMap", "theirs", { ownerReferences: [{ apiVersion: "example.com/v1", kind: "Tenant", uid: "t" }] }),
      true,
    ],
    [
      "a token of ask-ci's ServiceAccount",
      object(
        "Secret",
        "runner-a-token-x",
        { annotations: { "kubernetes.io/service-account.name": "runner-a" } },
        { type: "kubernetes.io/service-account-token" },
      ),
      false,
    ],
    [
      "a token of the default ServiceAccount",
      object(
        "Secret",
        "default-token-x",
        { annotations: { "kubernetes.io/service-account.name": "default" } },
        { type: "kubernetes.io/service-account-token" },
      ),
      false,
    ],
    [
      "a token of someone else's ServiceAccount",
      object(
        "Secret",
        "deployer-token-x",
        { annotations: { "kubernetes.io/service-account.name": "deployer" } },
        { type: "kubernetes.io/service-account-token" },
      ),
      true,
    ],
  ])("%s → foreign: %s", (_name, candidate, foreign) => {
    const everything = [
      deployment,
      replicaSet,
      runnerPod,
      serviceAccount,
      object("Pod", "runner-job-1", { labels: { "manager.runner.gitlab.com/name": "runner-a-eci" } }),
      candidate,
    ];
    const result = foreignObjects(everything, owner, "runner-a-eci", namespacedKinds);
    expect(result.includes(candidate)).toBe(foreign);
  });

  it("without the runner's name its job pods count as someone else's (the namespace stays)", () => {
    const jobPod = object("Pod", "job", { labels: { "manager.runner.gitlab.com/name": "runner-a-eci" } });
    expect(foreignObjects([jobPod], owner)).toEqual([jobPod]);
  });
});

describe("describeObjects", () => {
  it("names a few and counts the rest", () => {
    const many = Array.from({ length: 7 }, (_, i) => object("ConfigMap", `c${i}`));
    expect(describeObjects(many)).toBe(
      "ConfigMap c0, ConfigMap c1, ConfigMap c2, ConfigMap c3, ConfigMap c4 and 2 more",
    );
    expect(describeObjects(many.slice(0, 1))).toBe("ConfigMap c0");
  });
});
