import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { PERMISSION_REQUIREMENTS } from "@/lib/connections/permissions";
import {
  hasKubectl,
  kubectl,
  KUBECTL,
  startTestCluster,
  type TestCluster,
} from "../../packages/demo-cluster/test/demo-cluster-helpers";

// deploy/: ask-ci's own manifests. Rendered with `kubectl kustomize`, checked for what a production
// deployment needs, and accepted object by object by the demo cluster with a server-side dry run.

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rules?: any[];
  stringData?: Record<string, string>;
};

const OVERLAYS = ["single-sqlite", "ha-postgresql"] as const;

function render(overlay: string): { text: string; objects: K8sObject[] } {
  const text = execFileSync(KUBECTL, ["kustomize", `deploy/overlays/${overlay}`], { encoding: "utf8" });
  return { text, objects: parseAllDocuments(text).map((doc) => doc.toJS() as K8sObject) };
}

const find = (objects: K8sObject[], kind: string) => objects.find((object) => object.kind === kind)!;

describe.skipIf(!hasKubectl)("deploy/ (kustomize)", () => {
  const rendered = Object.fromEntries(OVERLAYS.map((overlay) => [overlay, render(overlay)]));

  it.each(OVERLAYS)("%s renders every object ask-ci needs, hardened", (overlay) => {
    const { objects } = rendered[overlay];
    const kinds = objects.map((object) => object.kind).sort();
    for (const kind of [
      "Deployment",
      "Namespace",
      "PodDisruptionBudget",
      "Role",
      "RoleBinding",
      "Service",
      "ServiceAccount",
    ]) {
      expect(kinds).toContain(kind);
    }
    const deployment = find(objects, "Deployment");
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
    expect(deployment.spec.template.metadata.annotations["k8s.aliyun.com/eci-use-specs"]).toBe("1-2Gi");
    // Read-only root: everything written goes to a volume.
    const mounts = container.volumeMounts.map((mount: { mountPath: string }) => mount.mountPath).sort();
    expect(mounts).toEqual(expect.arrayContaining(["/app/.next/cache", "/tmp", "/var/lib/ask-ci"]));
    expect(pod.serviceAccountName).toBe("ask-ci");
    expect(find(objects, "Service").spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(find(objects, "PodDisruptionBudget").spec.selector.matchLabels).toEqual(
      deployment.spec.selector.matchLabels,
    );
  });

  it("single-sqlite: one replica, replaced not rolled, on a persistent volume", () => {
    const { objects } = rendered["single-sqlite"];
    const deployment = find(objects, "Deployment");
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe("Recreate");
    const data = deployment.spec.template.spec.volumes.find((volume: { name: string }) => volume.name === "data");
    expect(data).toEqual({ name: "data", persistentVolumeClaim: { claimName: "ask-ci-data" } });
    expect(find(objects, "PersistentVolumeClaim").metadata.name).toBe("ask-ci-data");
  });

  it("ha-postgresql: several replicas, DATABASE_URL and the key from a Secret", () => {
    const { objects } = rendered["ha-postgresql"];
    const deployment = find(objects, "Deployment");
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const secret = find(objects, "Secret");
    expect(Object.keys(secret.stringData!)).toEqual(expect.arrayContaining(["DATABASE_URL", "ASK_CI_SECRET_KEY"]));
    expect(secret.stringData!.DATABASE_URL).toMatch(/^postgresql:\/\//);
    expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([
      { secretRef: { name: secret.metadata.name, optional: true } },
    ]);
  });

  it("the runner-namespace Role grants what the connection's permission report requires, nothing cluster-wide", () => {
    const { objects } = rendered["single-sqlite"];
    expect(objects.some((object) => object.kind === "ClusterRole" || object.kind === "ClusterRoleBinding")).toBe(false);
    const role = find(objects, "Role");
    expect(role.metadata.namespace).toBe("gitlab-runner");
    const allows = (group: string, resource: string, verb: string) =>
      role.rules!.some(
        (rule: { apiGroups: string[]; resources: string[]; verbs: string[] }) =>
          rule.apiGroups.includes(group) && rule.resources.includes(resource) && rule.verbs.includes(verb),
      );
    const missing = PERMISSION_REQUIREMENTS.filter((requirement) => !requirement.clusterScoped).flatMap((requirement) =>
      requirement.verbs
        .filter((verb) => !allows(requirement.group, requirement.resource, verb))
        .map((verb) => `${requirement.group}/${requirement.resource}:${verb}`),
    );
    expect(missing).toEqual([]);
    const binding = find(objects, "RoleBinding");
    expect(binding.spec ?? binding).toBeDefined();
  });

  describe("accepted by the demo cluster (server-side dry run)", () => {
    let t: TestCluster;
    beforeAll(async () => {
      t = await startTestCluster();
    });
    afterAll(async () => {
      await t?.stop();
    });

    it.each(OVERLAYS)("%s", async (overlay) => {
      const { text, objects } = rendered[overlay];
      // A dry run creates nothing, so the namespaces the other objects live in must exist first.
      const namespaces = objects.filter((object) => object.kind === "Namespace");
      const created = await kubectl(
        t.adminConfig,
        ["apply", "--server-side", "-f", "-"],
        namespaces.map((namespace) => JSON.stringify(namespace)).join("\n"),
      );
      expect(created.code, created.stderr).toBe(0);
      const dryRun = await kubectl(t.adminConfig, ["apply", "--server-side", "--dry-run=server", "-f", "-"], text);
      expect(dryRun.code, dryRun.stderr).toBe(0);
      for (const object of objects) {
        const group = object.apiVersion.includes("/") ? `.${object.apiVersion.split("/")[0]}` : "";
        expect(dryRun.stdout).toContain(
          `${object.kind.toLowerCase()}${group}/${object.metadata.name} serverside-applied (server dry run)`,
        );
      }
      // Nothing but the namespaces was stored.
      const deployments = await kubectl(t.adminConfig, ["get", "deployments", "-n", "ask-ci", "-o", "name"]);
      expect(deployments.stdout.trim()).toBe("");
    });
  });
});
