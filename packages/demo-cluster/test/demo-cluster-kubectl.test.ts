import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MemoryPodLogSource } from "../src/index";
import { ManualClock } from "../src/sim/clock";
import { hasKubectl, kubectl, kubectlStream, startTestCluster, until, type TestCluster } from "./demo-cluster-helpers";

// Real kubectl 1.32 against the demo cluster over HTTPS, with the simulation off so every
// object is one the test made.

const MANIFEST = (value: string, replicas = 2) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  mode: "${value}"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        env:
        - {name: MODE, value: "${value}"}
`;

describe.skipIf(!hasKubectl)("demo cluster with kubectl", () => {
  let t: TestCluster;
  let admin: (args: string[], input?: string) => ReturnType<typeof kubectl>;

  // A cluster of its own for each test: none depends on objects another one applied.
  beforeEach(async () => {
    t = await startTestCluster();
    admin = (args, input) => kubectl(t.adminConfig, args, input);
  });
  afterEach(async () => {
    await t?.stop();
  });

  it("reports version 1.32 and lists the seeded namespaces, node and API resources", async () => {
    const version = await admin(["version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toContain("Server Version: v1.32.1-aliyun.1");

    const ns = await admin(["get", "ns"]);
    expect(ns.stdout).toMatch(/^NAME\s+STATUS\s+AGE/);
    for (const name of ["default", "gitlab-runner", "kube-system", "kube-public"])
      expect(ns.stdout).toMatch(new RegExp(`^${name}\\s+Active`, "m"));

    const nodes = await admin(["get", "nodes", "--show-labels"]);
    expect(nodes.stdout).toMatch(/virtual-kubelet-cn-hangzhou-k\s+Ready\s+agent/);
    expect(nodes.stdout).toContain("type=virtual-kubelet");

    const resources = await admin(["api-resources"]);
    expect(resources.code).toBe(0);
    expect(resources.stdout).toMatch(/^imagecaches\s+ic\s+eci\.alibabacloud\.com\/v1\s+false\s+ImageCache$/m);
    expect(resources.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(resources.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  });

  it("applies client-side twice (created, then unchanged) and diffs with exit codes 0/1", async () => {
    const first = await admin(["apply", "-f", "-"], MANIFEST("a"));
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain("configmap/settings created");
    expect(first.stdout).toContain("deployment.apps/web created");

    const second = await admin(["apply", "-f", "-"], MANIFEST("a"));
    expect(second.stdout).toContain("configmap/settings unchanged");
    expect(second.stdout).toContain("deployment.apps/web unchanged");

    const same = await admin(["diff", "-f", "-"], MANIFEST("a"));
    expect(same.code).toBe(0);
    expect(same.stdout).toBe("");

    const changed = await admin(["diff", "-f", "-"], MANIFEST("b", 3));
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^-\s+mode: a$/m);
    expect(changed.stdout).toMatch(/^\+\s+mode: b$/m);
    expect(changed.stdout).toMatch(/^\+\s+replicas: 3$/m);

    // diff is a dry run: nothing changed.
    const cm = await admin(["get", "cm", "settings", "-o", "jsonpath={.data.mode}"]);
    expect(cm.stdout).toBe("a");

    const third = await admin(["apply", "-f", "-"], MANIFEST("b", 3));
    expect(third.stdout).toContain("configmap/settings configured");
    expect(third.stdout).toContain("deployment.apps/web configured");
    const env = await admin([
      "get",
      "deploy",
      "web",
      "-o",
      "jsonpath={.spec.template.spec.containers[0].env[0].value} {.spec.replicas} {.metadata.generation}",
    ]);
    expect(env.stdout).toBe("b 3 2");
  });

  it("applies server-side, reports conflicts like kube-apiserver and forces them", async () => {
    // A field set by client-side apply conflicts with the kubectl-client-side-apply Update manager.
    expect((await admin(["apply", "-f", "-"], MANIFEST("b", 3))).code).toBe(0);
    const vsCsa = await admin(["apply", "--server-side", "--field-manager=ops", "-f", "-"], MANIFEST("c", 3));
    expect(vsCsa.code).toBe(1);
    expect(vsCsa.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.mode',
    );

    const cm = (v: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-demo\n  namespace: default\ndata:\n  mode: "${v}"\n  owner: kubectl\n`;
    const ssa = await admin(["apply", "--server-side", "-f", "-"], cm("x"));
    expect(ssa.code).toBe(0);
    expect(ssa.stdout).toContain("configmap/ssa-demo serverside-applied");
    const again = await admin(["apply", "--server-side", "-f", "-"], cm("x"));
    expect(again.stdout).toContain("configmap/ssa-demo serverside-applied");

    const conflict = await admin(["apply", "--server-side", "--field-manager=ops", "-f", "-"], cm("y"));
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('error: Apply failed with 1 conflict: conflict with "kubectl": .data.mode');

    const forced = await admin(
      ["apply", "--server-side", "--field-manager=ops", "--force-conflicts", "-f", "-"],
      cm("y"),
    );
    expect(forced.code).toBe(0);
    const yaml = await admin(["get", "cm", "ssa-demo", "-o", "yaml", "--show-managed-fields"]);
    expect(yaml.stdout).toContain('mode: "y"');
    expect(yaml.stdout).toMatch(/manager: ops\n\s+operation: Apply/);
    expect(yaml.stdout).toMatch(/manager: kubectl\n\s+operation: Apply/);
    expect(yaml.stdout).toMatch(/resourceVersion: "\d+"/);
    expect(yaml.stdout).toMatch(/uid: [0-9a-f-]{36}/);
  });

  it("describes a pod with its events, and deletes it gracefully", async () => {
    const { store } = t.cluster;
    const pod = store.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "job-1", namespace: "default", labels: { "job.runner.gitlab.com/pod": "runner-x" } },
      spec: {
        nodeName: "virtual-kubelet-cn-hangzhou-k",
        containers: [{ name: "build", image: "alpine:3.20", resources: { limits: { cpu: "1", memory: "2Gi" } } }],
      },
    });
    store.create({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "job-1.1", namespace: "default" },
      involvedObject: { apiVersion: "v1", kind: "Pod", name: "job-1", namespace: "default", uid: pod.metadata.uid },
      reason: "Scheduled",
      message: "Successfully assigned default/job-1 to virtual-kubelet-cn-hangzhou-k",
      type: "Normal",
      source: { component: "default-scheduler" },
      firstTimestamp: new Date().toISOString(),
      lastTimestamp: new Date().toISOString(),
      count: 1,
    });
    const described = await admin(["describe", "pod", "job-1"]);
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(/^Name:\s+job-1$/m);
    expect(described.stdout).toMatch(/^Node:\s+virtual-kubelet-cn-hangzhou-k/m);
    expect(described.stdout).toMatch(/cpu:\s+1/);
    expect(described.stdout).toMatch(
      /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/job-1/,
    );

    const del = await admin(["delete", "pod", "job-1"]);
    expect(del.code).toBe(0);
    expect(del.stdout).toContain('pod "job-1" deleted');
    const gone = await admin(["get", "pod", "job-1"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Error from server (NotFound): pods "job-1" not found');
  });

  it("deletes a deployment and its replica sets' pods", async () => {
    expect((await admin(["apply", "-f", "-"], MANIFEST("c", 3))).code).toBe(0);
    const del = await admin(["delete", "-f", "-"], MANIFEST("c", 3));
    expect(del.stdout).toContain('configmap "settings" deleted');
    expect(del.stdout).toContain('deployment.apps "web" deleted');
    const cm = await admin(["get", "cm", "settings"]);
    expect(cm.stderr).toContain('configmaps "settings" not found');
  });

  it("answers auth can-i truthfully for the admin and the limited token", async () => {
    const yes = await admin(["auth", "can-i", "create", "deployments"]);
    expect(yes.stdout.trim()).toBe("yes");
    expect(yes.code).toBe(0);
    const no = await kubectl(t.viewerConfig, ["auth", "can-i", "create", "deployments"]);
    expect(no.stdout.trim()).toBe("no");
    expect(no.code).toBe(1);
    const canWatch = await kubectl(t.viewerConfig, ["auth", "can-i", "watch", "pods", "-n", "gitlab-runner"]);
    expect(canWatch.stdout.trim()).toBe("yes");
    const logs = await kubectl(t.viewerConfig, [
      "auth",
      "can-i",
      "get",
      "pods",
      "--subresource=log",
      "-n",
      "gitlab-runner",
    ]);
    expect(logs.stdout.trim()).toBe("yes");

    const forbidden = await kubectl(t.viewerConfig, ["get", "pods", "-n", "default"]);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain(
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:gitlab-runner:ask-ci-viewer" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    const allowed = await kubectl(t.viewerConfig, ["get", "pods", "-n", "gitlab-runner"]);
    expect(allowed.code).toBe(0);
    const whoami = await kubectl(t.viewerConfig, ["auth", "whoami"]);
    expect(whoami.stdout).toMatch(/Username\s+system:serviceaccount:gitlab-runner:ask-ci-viewer/);
  });

  it("explains pods and the ImageCache custom resource from OpenAPI v3", async () => {
    const pod = await admin(["explain", "pod"]);
    expect(pod.code).toBe(0);
    expect(pod.stdout).toMatch(/^KIND:\s+Pod$/m);
    expect(pod.stdout).toMatch(/^VERSION:\s+v1$/m);
    expect(pod.stdout).toContain("FIELDS:");
    expect(pod.stdout).toMatch(/spec\s+<PodSpec>/);

    const containers = await admin(["explain", "pod.spec.containers"]);
    expect(containers.stdout).toMatch(/FIELD:\s+containers <\[\]Container>/);
    expect(containers.stdout).toMatch(/name\s+<string> -required-/);

    const ic = await admin(["explain", "imagecache.spec"]);
    expect(ic.code).toBe(0);
    expect(ic.stdout).toMatch(/^GROUP:\s+eci\.alibabacloud\.com$/m);
    expect(ic.stdout).toMatch(/images\s+<\[\]string> -required-/);
  });

  it("streams pod changes with get -w", async () => {
    const w = kubectlStream(t.adminConfig, ["get", "pods", "-n", "gitlab-runner", "-w"]);
    try {
      const { store } = t.cluster;
      await until("kubectl's watch to be open", () => store.watcherCount() > 0);
      const pod = store.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "watched", namespace: "gitlab-runner" },
        spec: { containers: [{ name: "build", image: "alpine" }] },
      });
      await until("ADDED row", () => w.lines.some((l) => /^watched\s+0\/1\s+Pending\s+0\s+\S+$/.test(l)));
      store.updateStatus({
        ...pod,
        status: {
          phase: "Running",
          containerStatuses: [
            {
              name: "build",
              ready: true,
              restartCount: 0,
              image: "alpine",
              imageID: "",
              state: { running: { startedAt: new Date().toISOString() } },
            },
          ],
        },
      });
      await until("MODIFIED row", () => w.lines.some((l) => /^watched\s+1\/1\s+Running\s+0\s+\S+$/.test(l)));
    } finally {
      w.child.kill();
      await w.exited;
    }
  });

  it("follows logs with logs -f until the container ends", async () => {
    const { store } = t.cluster;
    const logs = t.cluster.logs as MemoryPodLogSource;
    store.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "logger", namespace: "gitlab-runner" },
      spec: {
        nodeName: "virtual-kubelet-cn-hangzhou-k",
        containers: [
          { name: "build", image: "alpine" },
          { name: "helper", image: "helper" },
        ],
      },
    });
    logs.append("gitlab-runner", "logger", "build", "$ echo one", "one");
    const defaulted = await admin(["logs", "-n", "gitlab-runner", "logger"]);
    expect(defaulted.stderr).toContain('Defaulted container "build" out of: build, helper');
    expect(defaulted.stdout).toBe("$ echo one\none\n");
    const waiting = await admin(["logs", "-n", "gitlab-runner", "logger", "-c", "helper"]);
    expect(waiting.code).toBe(1);
    expect(waiting.stderr).toContain('container "helper" in pod "logger" is waiting to start: ContainerCreating');

    const f = kubectlStream(t.adminConfig, ["logs", "-f", "-n", "gitlab-runner", "logger", "-c", "build"]);
    await until("existing lines", () => f.lines.includes("one"));
    logs.append("gitlab-runner", "logger", "build", "two", "Job succeeded");
    await until("new lines", () => f.lines.includes("Job succeeded"));
    logs.end("gitlab-runner", "logger", "build");
    expect(await f.exited).toBe(0);
    expect(f.lines).toEqual(["$ echo one", "one", "two", "Job succeeded"]);

    const tail = await admin(["logs", "-n", "gitlab-runner", "logger", "-c", "build", "--tail=1"]);
    expect(tail.stdout).toBe("Job succeeded\n");
  });

  it("rejects bad input with the apiserver's Status errors", async () => {
    const badYaml = await admin(
      ["create", "-f", "-"],
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {a: 1\n",
    );
    expect(badYaml.code).toBe(1);
    const unknownKind = await admin(
      ["apply", "-f", "-"],
      "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n",
    );
    expect(unknownKind.code).toBe(1);
    expect(unknownKind.stderr).toContain('no matches for kind "Widget" in version "example.com/v1"');
    const strict = await admin(
      ["apply", "--validate=strict", "-f", "-"],
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\n  namespace: default\nbogus: 1\n",
    );
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('unknown field "bogus"');
  });
});

describe.skipIf(!hasKubectl)("demo cluster logs by time, with kubectl", () => {
  // The cluster's clock is a manual one, so each line's time is the test's choice.
  const start = Date.parse("2026-12-06T10:00:00.250Z");
  let t: TestCluster;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(start);
    t = await startTestCluster({ clock });
    t.cluster.store.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "timed", namespace: "gitlab-runner" },
      spec: { nodeName: "virtual-kubelet-cn-hangzhou-k", containers: [{ name: "build", image: "alpine" }] },
    });
    const logs = t.cluster.logs as MemoryPodLogSource;
    logs.append("gitlab-runner", "timed", "build", "at start");
    clock.advance(10 * 60_000);
    logs.append("gitlab-runner", "timed", "build", "ten minutes in");
    clock.advance(4 * 60_000);
    logs.append("gitlab-runner", "timed", "build", "fourteen minutes in");
    clock.advance(60_000); // now: 15 minutes after the first line
  });
  afterAll(async () => {
    await t?.stop();
  });
  const logs = (...args: string[]) =>
    kubectl(t.adminConfig, ["logs", "-n", "gitlab-runner", "timed", "-c", "build", ...args]);

  it("--since sends sinceSeconds: only lines written in that window before now", async () => {
    expect((await logs("--since=6m")).stdout).toBe("ten minutes in\nfourteen minutes in\n");
    expect((await logs("--since=2m")).stdout).toBe("fourteen minutes in\n");
    expect((await logs("--since=1h")).stdout).toBe("at start\nten minutes in\nfourteen minutes in\n");
    // Exactly at the boundary a line is kept (only lines *before* since are skipped).
    expect((await logs("--since=5m")).stdout).toBe("ten minutes in\nfourteen minutes in\n");
  });

  it("--since-time sends sinceTime; tail picks the last lines first, then since filters them", async () => {
    expect((await logs("--since-time=2026-12-06T10:05:00Z")).stdout).toBe("ten minutes in\nfourteen minutes in\n");
    expect((await logs("--since-time=2026-12-06T10:30:00Z")).stdout).toBe("");
    expect((await logs("--since=12m", "--tail=2")).stdout).toBe("ten minutes in\nfourteen minutes in\n");
    expect((await logs("--since=6m", "--tail=3")).stdout).toBe("ten minutes in\nfourteen minutes in\n");
    expect((await logs("--since=12m", "--tail=1")).stdout).toBe("fourteen minutes in\n");
  });

  it("--timestamps stamps each line with the time it was written, as the kubelet formats it", async () => {
    expect((await logs("--timestamps", "--since=6m")).stdout).toBe(
      "2026-12-06T10:10:00.250000000Z ten minutes in\n2026-12-06T10:14:00.250000000Z fourteen minutes in\n",
    );
  });

  it("refuses both since options at once, and a sinceTime that is not RFC 3339", async () => {
    const both = await logs("--since=1m", "--since-time=2026-12-06T10:05:00Z");
    expect(both.code).not.toBe(0);
    const raw = await kubectl(t.adminConfig, [
      "get",
      "--raw",
      "/api/v1/namespaces/gitlab-runner/pods/timed/log?container=build&sinceTime=2026-12-06",
    ]);
    expect(raw.code).toBe(1);
    expect(raw.stderr).toContain("cannot parse");
  });
});
