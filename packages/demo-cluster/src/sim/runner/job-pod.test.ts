import { describe, expect, it } from "vitest";
import { SeededRandom } from "../random";
import { JobFeed } from "./job-catalog";
import { buildJobPod } from "./job-pod";
import { parseRunnerConfig } from "./runner-config";

const CONFIG = `
concurrent = 2
[[runners]]
  name = "eci runner/1"
  url = "https://gitlab.example.com/"
  [runners.kubernetes]
    namespace = "ci"
    service_account = "ci-jobs"
    image_pull_secrets = ["regcred"]
    pod_termination_grace_period_seconds = 5
    [runners.kubernetes.node_selector]
      "type" = "virtual-kubelet"
    [runners.kubernetes.node_tolerations]
      "virtual-kubelet.io/provider=alibabacloud" = "NoSchedule"
      "example.com/spot" = "NoExecute"
    [runners.kubernetes.pod_labels]
      "team" = "pay ments"
      "pipeline" = "p-$CI_PIPELINE_ID"
      "job.runner.gitlab.com/pod" = "hijack"
    [runners.kubernetes.pod_annotations]
      "ci/ref" = "$CI_COMMIT_REF_NAME"
`;

describe("buildJobPod", () => {
  const { config, problems } = parseRunnerConfig(CONFIG);
  const job = new JobFeed(new SeededRandom(3), { jobId: 501, pipelineId: 77 }).next();
  const pod = buildJobPod({
    runner: config.runners[0],
    shortToken: "AbC123xyz",
    namespace: "ci",
    job,
    projectRunnerId: 1,
    suffix: "k2p9qzx7",
  });
  const spec = pod.spec as Record<string, unknown>;

  it("parses the test config cleanly", () => {
    expect(problems).toEqual([]);
  });

  it("names the pod after the runner, project and slot", () => {
    expect(pod.metadata.name).toBe(`runner-abc123xyz-project-${job.project.id}-concurrent-1-k2p9qzx7`);
    expect(pod.metadata.labels?.["manager.runner.gitlab.com/name"]).toBe("eci_runner_1");
    expect(pod.metadata.labels?.["manager.runner.gitlab.com/id-short"]).toBe("AbC123xyz");
  });

  it("adds pod_labels sanitized and expanded, but never over the runner's own keys", () => {
    expect(pod.metadata.labels?.team).toBe("pay_ments");
    expect(pod.metadata.labels?.pipeline).toBe("p-77");
    expect(pod.metadata.labels?.["job.runner.gitlab.com/pod"]).toBe(
      `runner-abc123xyz-project-${job.project.id}-concurrent-1`,
    );
    expect(pod.metadata.annotations?.["ci/ref"]).toBe(job.ref);
  });

  it("carries node selector, tolerations, service account, pull secrets and grace period", () => {
    expect(spec.nodeSelector).toEqual({ type: "virtual-kubelet" });
    expect(spec.tolerations).toEqual([
      { key: "virtual-kubelet.io/provider", operator: "Equal", value: "alibabacloud", effect: "NoSchedule" },
      { key: "example.com/spot", operator: "Exists", effect: "NoExecute" },
    ]);
    expect(spec.serviceAccountName).toBe("ci-jobs");
    expect(spec.imagePullSecrets).toEqual([{ name: "regcred" }]);
    expect(spec.terminationGracePeriodSeconds).toBe(5);
  });

  it("leaves resources off when config.toml sets none (ECI then bills its 2 vCPU / 4 GiB default)", () => {
    const containers = spec.containers as Array<{ name: string; resources?: unknown }>;
    expect(containers.map((c) => c.resources)).toEqual(containers.map(() => undefined));
  });
});
