import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../types";
import { SeededRandom } from "@ask-ci/seeded-random";
import { JobFeed, type Job } from "./job-catalog";
import { buildJobPod, serviceContainers, serviceHostAliases, type JobPodInput } from "./job-pod";
import { runnerRelease } from "./release";
import { parseRunnerConfig, type RunnerEntry } from "./runner-config";
import { shortenToken } from "./short-token";

const CONFIG = `
concurrent = 2
[[runners]]
  name = "eci runner/1"
  url = "https://gitlab.example.com/"
  token = "glrt-t1_AbC123xyz789defghijk"
  [runners.kubernetes]
    namespace = "ci"
    image = "alpine:3.20"
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
      "Sub.Runner.GitLab.com/x" = "hijack"
    [runners.kubernetes.pod_annotations]
      "ci/ref" = "$CI_COMMIT_REF_NAME"
`;

const parsed = parseRunnerConfig(CONFIG);
if (!parsed.ok) throw new Error(parsed.error);
const runner = parsed.config.runners![0] as RunnerEntry & { token: string };
const baseJob = new JobFeed(new SeededRandom(3), { jobId: 501, pipelineId: 77 }).next();

function input(overrides: Omit<Partial<JobPodInput>, "job"> & { job?: Partial<Job> } = {}): JobPodInput {
  const release = overrides.release ?? runnerRelease("19.3.0");
  return {
    release,
    runner,
    shortToken: shortenToken(runner.token, release),
    namespace: "ci",
    timeoutSeconds: 3600,
    projectRunnerId: 1,
    suffix: "k2p9qzx7",
    defaultHelperImage: `registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v${release.version}`,
    credentialsSecret: "runner-abc123xyz-project-1-concurrent-1-q8w7e6r5",
    ...overrides,
    job: { ...baseJob, ...overrides.job },
  };
}

function pod(overrides: Parameters<typeof input>[0] = {}): KubeObject {
  const result = buildJobPod(input(overrides));
  if (!result.ok) throw new Error(result.error);
  return result.pod;
}
const specOf = (p: KubeObject) => p.spec as Record<string, unknown> & { containers: Array<Record<string, unknown>> };

describe("buildJobPod", () => {
  it.each([
    ["17.11.4", "runner-t1abc123-project-", "t1_AbC123"],
    ["19.3.0", "runner-abc123xyz-project-", "AbC123xyz"],
  ])("%s: pod name and id-short from that release's token shortening", (version, prefix, idShort) => {
    const p = pod({ release: runnerRelease(version) });
    expect(p.metadata.name).toBe(`${prefix}${baseJob.project.id}-concurrent-1-k2p9qzx7`);
    expect(p.metadata.labels?.["manager.runner.gitlab.com/id-short"]).toBe(idShort);
  });

  it("sets the runner's labels, then pod_labels expanded and sanitized, never over runner.gitlab.com keys (any case)", () => {
    const labels = pod().metadata.labels!;
    expect(labels["manager.runner.gitlab.com/name"]).toBe("eci_runner_1");
    expect(labels.team).toBe("pay_ments");
    expect(labels.pipeline).toBe("p-77");
    expect(labels["job.runner.gitlab.com/pod"]).toBe(`runner-abc123xyz-project-${baseJob.project.id}-concurrent-1`);
    expect(labels["Sub.Runner.GitLab.com/x"]).toBeUndefined();
    expect(labels["project.runner.gitlab.com/root-namespace-id"]).toBeUndefined();
    expect(pod().metadata.annotations?.["ci/ref"]).toBe(baseJob.ref);
  });

  it("gives the build container the job's variables, the helper none", () => {
    const [build, helper] = specOf(pod()).containers;
    expect((build.env as Array<{ name: string; value: string }>).find((e) => e.name === "CI_PIPELINE_ID")?.value).toBe(
      "77",
    );
    expect(helper.env).toBeUndefined();
    expect(build.command).toEqual(helper.command);
    expect(build.stdin).toBe(true);
  });

  it("sets activeDeadlineSeconds to the job timeout + 1 and pulls with the job's dockercfg Secret after the configured ones", () => {
    const s = specOf(pod({ timeoutSeconds: 600 }));
    expect(s.activeDeadlineSeconds).toBe(601);
    expect(s.imagePullSecrets).toEqual([
      { name: "regcred" },
      { name: "runner-abc123xyz-project-1-concurrent-1-q8w7e6r5" },
    ]);
    expect(s.terminationGracePeriodSeconds).toBe(5);
    expect(s.serviceAccountName).toBe("ci-jobs");
    expect(s.nodeSelector).toEqual({ type: "virtual-kubelet" });
    expect(s.tolerations).toEqual([
      { key: "virtual-kubelet.io/provider", operator: "Equal", value: "alibabacloud", effect: "NoSchedule" },
      { key: "example.com/spot", operator: "Exists", effect: "NoExecute" },
    ]);
  });

  it("names service containers after their alias, else svc-N, sorted, with hostAliases for their names", () => {
    const services = [
      { name: "postgres:16", alias: "db" },
      { name: "redis:7" },
      { name: "registry.example.com/team/cache:1" },
    ];
    const s = specOf(pod({ job: { services } }));
    expect(s.containers.map((c) => c.name)).toEqual(["build", "helper", "db", "svc-0", "svc-1"]);
    expect(s.containers[2]).toMatchObject({ image: "postgres:16" });
    expect(s.containers[2].command).toBeUndefined();
    expect(s.hostAliases).toEqual([
      { ip: "127.0.0.1", hostnames: ["postgres", "db", "redis", "registry.example.com-team-cache"] },
    ]);
  });

  it("falls back to svc-N for an alias that is not a DNS label, and counts only those", () => {
    expect(
      serviceContainers([
        { name: "a:1", alias: "Not_Valid" },
        { name: "b:1", alias: "b" },
      ]).map((s) => s.name),
    ).toEqual(["b", "svc-0"]);
    expect(serviceHostAliases([])).toEqual([]);
  });

  it("uses kubernetes.image for a job without one, and fails without either", () => {
    expect(specOf(pod({ job: { image: undefined } })).containers[0].image).toBe("alpine:3.20");
    const result = buildJobPod({
      ...input({ job: { image: undefined } }),
      runner: { ...runner, kubernetes: { namespace: "ci" } },
    });
    expect(result).toEqual({ ok: false, error: "no image specified and no default set in config" });
  });
});
