import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../types";
import { CONFIG_MAP, DEPLOYMENT, POD, SECRET } from "../kinds";
import { demoWorkloadObjects } from "../seed-workload";
import { containerStatus, simulate } from "../testing/harness";
import type { GitLabNetwork } from "./gitlab-client";
import { MODELLED_VERSIONS } from "./release";

type Harness = ReturnType<typeof simulate>;
const NS = "gitlab-runner";

/** The demo's on-demand runner from our generated manifests, optionally on another release or with changes. */
function deployRunner(
  h: Harness,
  change: { version?: string; edit?: (objects: KubeObject[]) => void; spot?: boolean } = {},
): void {
  const instance = change.spot ? "ask-ci-demo-spot" : "ask-ci-demo";
  const objects = demoWorkloadObjects().filter(
    (o) => o.metadata.labels?.["app.kubernetes.io/instance"] === instance || o.kind === "ImageCache",
  );
  if (change.version) {
    // What the wizard generates for another version: runner image and helper_image move together.
    const deployment = objects.find((o) => o.kind === "Deployment")!;
    const container = (deployment.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template
      .spec.containers[0];
    container.image = container.image.replace(/:alpine-v[\d.]+$/, `:alpine-v${change.version}`);
    const data = objects.find((o) => o.kind === "ConfigMap")!.data as Record<string, string>;
    data["config.template.toml"] = data["config.template.toml"].replace(/x86_64-v[\d.]+/, `x86_64-v${change.version}`);
  }
  change.edit?.(objects);
  for (const object of objects) h.store.create(object);
}

function pods(h: Harness): KubeObject[] {
  return h.store.list(POD, { namespace: NS });
}
const jobPodsOf = (h: Harness) => pods(h).filter((p) => p.metadata.labels?.["job.runner.gitlab.com/pod"]);
const runnerPodOf = (h: Harness) => pods(h).find((p) => p.metadata.labels?.["app.kubernetes.io/instance"]);
const phase = (pod: KubeObject | undefined) => (pod?.status as { phase?: string } | undefined)?.phase;
const spec = (pod: KubeObject) => pod.spec as Record<string, unknown> & { containers: Array<Record<string, unknown>> };

/** Every version of every job pod, from creation to deletion. */
function recordJobPods(h: Harness) {
  const history = new Map<string, Array<{ type: string; at: number; pod: KubeObject }>>();
  h.store.subscribe(({ type, object }) => {
    if (object.kind !== "Pod" || !object.metadata.labels?.["job.runner.gitlab.com/pod"]) return;
    const list = history.get(object.metadata.name) ?? [];
    list.push({ type, at: h.clock.now(), pod: object });
    history.set(object.metadata.name, list);
  });
  return history;
}

function runnerLog(h: Harness): string[] {
  const pod = runnerPodOf(h)!;
  return h.sim.logs.read(NS, pod.metadata.name, "gitlab-runner") ?? [];
}

describe("simulated GitLab Runner 19.3.0 from ask-ci's generated manifests", () => {
  it("creates job pods exactly as the Kubernetes executor does: names, labels, annotations, containers, pod spec", () => {
    const h = simulate({ seed: 11, jobsPerMinute: 12 });
    deployRunner(h);
    const seen = new Map<string, KubeObject>();
    h.store.subscribe(({ type, object }) => {
      if (type === "ADDED" && object.metadata.labels?.["job.runner.gitlab.com/pod"])
        seen.set(object.metadata.name, object);
    });
    h.clock.advance(6 * 60_000);
    expect(seen.size).toBeGreaterThan(4);
    for (const pod of seen.values()) {
      const { labels = {}, annotations = {} } = pod.metadata;
      const unique = pod.metadata.name.slice(0, -9);
      expect(pod.metadata.name).toMatch(/^runner-demo7xk2p-project-\d+-concurrent-\d+-[a-z0-9]{8}$/);
      // Exactly the runner's own labels (no root-namespace-id: in no release) plus pod_labels.
      expect(Object.keys(labels).sort()).toEqual(
        [
          "job.runner.gitlab.com/pod",
          "manager.runner.gitlab.com/id-short",
          "manager.runner.gitlab.com/name",
          "pipeline",
          "pod",
          "project.runner.gitlab.com/id",
          "project.runner.gitlab.com/name",
          "project.runner.gitlab.com/namespace",
          "project.runner.gitlab.com/namespace-id",
          "project.runner.gitlab.com/root-namespace",
        ].sort(),
      );
      expect(labels).toMatchObject({
        pod: unique,
        "job.runner.gitlab.com/pod": unique,
        "manager.runner.gitlab.com/name": "ask-ci-demo",
        "manager.runner.gitlab.com/id-short": "Demo7xK2p",
        pipeline: annotations["ci.ask-ci.dev/pipeline-id"],
      });
      // project.runner.gitlab.com/name is the project's name (job_info.project_name), sanitized.
      expect(["java-demo", "Payments_API", "Orders_Service", "Storefront", "infra-live", "ETL_jobs"]).toContain(
        labels["project.runner.gitlab.com/name"],
      );
      expect(annotations["job.runner.gitlab.com/timeout"]).toMatch(/^(12m0s|2m0s)$/);
      const podSpec = spec(pod);
      // FF_USE_POD_ACTIVE_DEADLINE_SECONDS: the job timeout (60 or 10 minutes at speed 5) + 1.
      expect([721, 121]).toContain(podSpec.activeDeadlineSeconds);
      const [build, helper, ...services] = podSpec.containers;
      expect(build.name).toBe("build");
      expect(helper.name).toBe("helper");
      expect(helper.env).toBeUndefined();
      expect((build.env as Array<{ name: string }>).map((e) => e.name)).toContain("CI_JOB_ID");
      expect(helper.image).toBe("registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v19.3.0");
      for (const service of services) {
        expect(service.command).toBeUndefined();
        expect(["db", "postgres", "docker", "svc-0"]).toContain(service.name);
      }
      if (services.length) {
        expect((podSpec.hostAliases as Array<{ ip: string; hostnames: string[] }>)[0].ip).toBe("127.0.0.1");
      } else expect(podSpec.hostAliases).toBeUndefined();
      // The job's registry login: a per-job dockercfg Secret named like the pod, pulled with.
      const secretName = (podSpec.imagePullSecrets as Array<{ name: string }>)[0].name;
      expect(secretName).toMatch(new RegExp(`^${unique.slice(0, 54)}-[a-z0-9]{8}$`));
    }
    const withDb = [...seen.values()].find((p) => spec(p).containers.some((c) => c.name === "db"));
    if (withDb)
      expect((spec(withDb).hostAliases as Array<{ hostnames: string[] }>)[0].hostnames).toEqual(["mysql", "db"]);
    expect(h.errors).toEqual([]);
  });

  it("runs a job over attach and deletes its pod while it is still Running; the phase never carries the result", () => {
    const h = simulate({ seed: 5, jobsPerMinute: 6 });
    deployRunner(h);
    const history = recordJobPods(h);
    h.clock.advance(8 * 60_000);
    const gitlab = (h.sim.gitlab as GitLabNetwork).builtIn;
    expect(gitlab.finished.length).toBeGreaterThan(2);
    const gone = [...history.entries()].filter(([, events]) => events.some((e) => e.type === "DELETED"));
    expect(gone.length).toBeGreaterThan(2);
    for (const [name, events] of gone) {
      const firstDeleting = events.find((e) => e.pod.metadata.deletionTimestamp)!;
      const job = gitlab.finished.find(
        (f) => String(f.job.id) === firstDeleting.pod.metadata.annotations?.["job.runner.gitlab.com/id"],
      )!;
      expect(job, name).toBeDefined();
      // Deleted by the runner while Running, build and helper still running.
      expect(phase(firstDeleting.pod)).toBe("Running");
      expect(containerStatus(firstDeleting.pod, "build")?.state.running).toBeTruthy();
      expect(containerStatus(firstDeleting.pod, "helper")?.state.running).toBeTruthy();
      // Default grace (30 s): the shells ignore SIGTERM and are killed when it ends, whatever the job's result.
      const last = events.filter((e) => e.type === "MODIFIED").at(-1)!.pod;
      expect(containerStatus(last, "build")?.state.terminated).toMatchObject({ exitCode: 137 });
      const deletedAt = events.find((e) => e.type === "DELETED")!.at;
      expect(deletedAt - firstDeleting.at).toBeGreaterThanOrEqual(29_000);
      expect(deletedAt - firstDeleting.at).toBeLessThanOrEqual(31_000);
      // Stage exit codes went through the build log.
      const build = h.sim.logs.read(NS, name, "build");
      expect(build).toBeUndefined(); // the pod is gone; logs go with it
    }
    const results = new Set(gitlab.finished.map((f) => f.result.state));
    expect(results).toContain("success");
    expect(h.errors).toEqual([]);
  });

  it("writes each stage's output and exit-status marker into the helper and build logs", () => {
    const h = simulate({ seed: 5, jobsPerMinute: 6 });
    deployRunner(h);
    const running = () =>
      jobPodsOf(h).find((p) =>
        (h.sim.logs.read(NS, p.metadata.name, "build") ?? []).some((l) => l.includes("step_script")),
      );
    expect(h.clock.advanceUntil(() => running() !== undefined, 5 * 60_000)).toBe(true);
    const pod = running()!;
    const jobId = pod.metadata.annotations!["job.runner.gitlab.com/id"];
    const projectId = pod.metadata.labels!["project.runner.gitlab.com/id"];
    const build = h.sim.logs.read(NS, pod.metadata.name, "build")!;
    const helper = h.sim.logs.read(NS, pod.metadata.name, "helper")!;
    expect(build).toContain(`{"command_exit_code": 0, "script": "/scripts-${projectId}-${jobId}/prepare_script"}`);
    expect(build.some((l) => l.startsWith("$ "))).toBe(true);
    expect(helper).toContain(`{"command_exit_code": 0, "script": "/scripts-${projectId}-${jobId}/get_sources"}`);
    expect(helper[0]).toBe("Fetching changes with git depth set to 20...");
  });
});

describe("the job cache on OSS from [runners.cache]", () => {
  const OSS_CACHE = `
    [runners.cache]
    Type = "s3"
    Path = "gitlab-runner"
    Shared = false

    [runners.cache.s3]
    ServerAddress = "s3.oss-cn-hangzhou-internal.aliyuncs.com"
    BucketName = "acme-ci-cache"
    BucketLocation = "cn-hangzhou"
    AuthenticationType = "access-key"
    PathStyle = false
`;

  it("uploads each key's archive once and later jobs download it; the AccessKey pair never reaches a log", () => {
    const h = simulate({ seed: 5, jobsPerMinute: 12 });
    deployRunner(h, {
      edit: (objects) => {
        // As the wizard writes it: the bucket in the template, the AccessKey pair in register's environment.
        const data = objects.find((o) => o.kind === "ConfigMap")!.data as Record<string, string>;
        data["config.template.toml"] = data["config.template.toml"].replace(
          "\n[runners.kubernetes]\n",
          `${OSS_CACHE}\n[runners.kubernetes]\n`,
        );
        const deployment = objects.find((o) => o.kind === "Deployment")!;
        const container = (
          deployment.spec as { template: { spec: { containers: Array<{ env: Array<Record<string, unknown>> }> } } }
        ).template.spec.containers[0];
        container.env.push(
          { name: "CACHE_S3_ACCESS_KEY", value: "LTAI5tDemoAccessKeyId" },
          { name: "CACHE_S3_SECRET_KEY", value: "demo-secret-key-never-shown" },
        );
      },
    });
    h.clock.advance(15 * 60_000);
    const gitlab = (h.sim.gitlab as GitLabNetwork).builtIn;
    const cached = gitlab.finished.filter((f) => f.job.cache?.length);
    expect(cached.length).toBeGreaterThan(3);
    const uploads = new Map<string, number>();
    const downloads: string[] = [];
    for (const { job, trace = "" } of cached) {
      const key = job.cache![0].key;
      const url = `https://acme-ci-cache.s3.oss-cn-hangzhou-internal.aliyuncs.com/gitlab-runner/runner/Demo7xK2p/project/${job.project.id}/${key}`;
      expect(trace).toContain(`Checking cache for ${key}...`);
      if (trace.includes(`Uploading cache.zip to ${url}\n`)) uploads.set(url, (uploads.get(url) ?? 0) + 1);
      if (trace.includes(`Downloading cache from ${url}  ETag=`)) {
        downloads.push(url);
        expect(trace).toContain("Successfully extracted cache");
      }
      expect(trace).not.toMatch(/LTAI5tDemoAccessKeyId|demo-secret-key-never-shown|X-Amz-Signature/);
    }
    expect(uploads.size).toBeGreaterThan(0);
    // A job that found the archive does not upload it again (unchanged).
    for (const count of uploads.values()) expect(count).toBeLessThanOrEqual(2);
    expect(downloads.length).toBeGreaterThan(0);
    for (const url of downloads) expect(uploads.has(url)).toBe(true);
    // Jobs without a cache: no restore_cache stage at all (ErrSkipBuildStage).
    const plain = gitlab.finished.find((f) => !f.job.cache?.length && f.result.state === "success");
    if (plain) expect(plain.trace).not.toContain("Restoring cache");
    expect(runnerLog(h).join("\n")).not.toContain("demo-secret-key-never-shown");
    expect(h.errors).toEqual([]);
  });
});

describe("per release", () => {
  it.each([
    ["17.11.4", "t1_Demo7x", "runner-t1demo7x-project-"],
    ["18.11.4", "Demo7xK2p", "runner-demo7xk2p-project-"],
    ["19.3.0", "Demo7xK2p", "runner-demo7xk2p-project-"],
  ])("%s shortens glrt-t1_… to %s and names pods %s…", (version, idShort, prefix) => {
    const h = simulate({ seed: 2, jobsPerMinute: 12 });
    deployRunner(h, { version });
    expect(h.clock.advanceUntil(() => jobPodsOf(h).length > 0, 3 * 60_000)).toBe(true);
    const [pod] = jobPodsOf(h);
    expect(pod.metadata.name.startsWith(prefix)).toBe(true);
    expect(pod.metadata.labels?.["manager.runner.gitlab.com/id-short"]).toBe(idShort);
    expect(spec(pod).containers[1].image).toBe(
      `registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v${version}`,
    );
  });

  const OLD_PROBE = `#!/bin/bash
output=$(timeout 10 gitlab-runner verify --config /home/gitlab-runner/.gitlab-runner/config.toml --url= 2>&1) || exit 1
grep -qE "is (alive|valid)" <<<"$output"
`;

  it.each(MODELLED_VERSIONS)(
    "%s: our readiness probe passes; the old `verify --url=` passes only from 19.3.0",
    (version) => {
      const ready = (probe?: string) => {
        const h = simulate({ seed: 3 });
        deployRunner(h, {
          version,
          edit: (objects) => {
            if (!probe) return;
            const configMap = objects.find((o) => o.kind === "ConfigMap")!;
            (configMap.data as Record<string, string>)["check-ready"] = probe;
          },
        });
        h.clock.advance(3 * 60_000);
        const pod = runnerPodOf(h)!;
        const deployment = h.store.get(DEPLOYMENT, NS, "ask-ci-demo")!;
        return {
          ready: containerStatus(pod, "gitlab-runner")?.ready,
          available: (deployment.status as { availableReplicas?: number }).availableReplicas ?? 0,
          events: h.eventsFor(pod.metadata.name).filter((e) => e.reason === "Unhealthy"),
        };
      };
      const ours = ready();
      expect(ours.ready).toBe(true);
      expect(ours.available).toBe(1);
      expect(ours.events).toEqual([]);
      const old = ready(OLD_PROBE);
      const fixed = version === "19.3.0";
      expect(old.ready).toBe(fixed);
      expect(old.available).toBe(fixed ? 1 : 0);
      // The script prints nothing: verify's output went into $output.
      if (!fixed) expect(old.events[0].message).toBe("Readiness probe failed: ");
    },
  );

  it("passes ${RUNNER_TOKEN} in config.toml through the environment from 18.10.0 on, not in 17.11", () => {
    const run = (version: string) => {
      const h = simulate({ seed: 4, jobsPerMinute: 12 });
      h.store.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "cfg", namespace: "default" },
        data: {
          "config.toml":
            'concurrent = 2\n[[runners]]\n  name = "env"\n  url = "https://gitlab.com/"\n  token = "${RUNNER_TOKEN}"\n  executor = "kubernetes"\n  [runners.kubernetes]\n    namespace = "default"\n    image = "alpine:3.20"\n',
        },
      });
      h.store.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "runner", namespace: "default" },
        spec: {
          containers: [
            {
              name: "runner",
              image: `gitlab/gitlab-runner:v${version}`,
              args: ["run", "--config", "/etc/gitlab-runner/config.toml"],
              env: [{ name: "RUNNER_TOKEN", value: "glrt-t1_EnvToken123456789abc" }],
              volumeMounts: [{ name: "config", mountPath: "/etc/gitlab-runner" }],
            },
          ],
          volumes: [{ name: "config", configMap: { name: "cfg" } }],
        },
      });
      h.clock.advance(2 * 60_000);
      return {
        jobs: h.store
          .list(POD, { namespace: "default" })
          .filter((p) => p.metadata.labels?.["job.runner.gitlab.com/pod"]),
        log: h.sim.logs.read("default", "runner", "runner") ?? [],
      };
    };
    expect(run("18.11.4").jobs.length).toBeGreaterThan(0);
    const old = run("17.11.4");
    expect(old.jobs).toEqual([]);
    expect(old.log.some((l) => l.startsWith("ERROR: Checking for jobs... forbidden"))).toBe(true);
  });
});

describe("config.toml as the real runner reads it", () => {
  function seedStyleRunner(h: Harness, configToml: string, image = "gitlab/gitlab-runner:alpine-v19.3.0") {
    h.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "gitlab-runner-config", namespace: "default" },
      data: { "config.toml": configToml },
    });
    h.store.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "gitlab-runner", namespace: "default" },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "gitlab-runner" } },
        template: {
          metadata: { labels: { app: "gitlab-runner" } },
          spec: {
            containers: [
              {
                name: "gitlab-runner",
                image,
                args: ["run", "--config", "/etc/gitlab-runner/config.toml"],
                env: [{ name: "RUNNER_TOKEN", value: "glrt-t1_FromEnvNotRead123456" }],
                volumeMounts: [{ name: "config", mountPath: "/etc/gitlab-runner" }],
              },
            ],
            volumes: [{ name: "config", configMap: { name: "gitlab-runner-config" } }],
          },
        },
      },
    });
  }
  const runnerPod = (h: Harness) =>
    h.store.list(POD, { namespace: "default" }).find((p) => p.metadata.labels?.app === "gitlab-runner")!;

  it("stops at once on the seed article's `token = $token`: the container exits 1 and crash-loops", () => {
    const h = simulate({ seed: 1, jobsPerMinute: 12 });
    seedStyleRunner(
      h,
      'concurrent = 2\n[[runners]]\n  name = "seed"\n  url = "https://gitlab.com/"\n  token = $token\n  executor = "kubernetes"\n',
    );
    expect(
      h.clock.advanceUntil(
        () => containerStatus(runnerPod(h), "gitlab-runner")?.state.waiting?.reason === "CrashLoopBackOff",
        2 * 60_000,
      ),
    ).toBe(true);
    const pod = runnerPod(h);
    expect(containerStatus(pod, "gitlab-runner")?.lastState.terminated).toMatchObject({ exitCode: 1 });
    // Until the back-off ends the crashed container's log is the current one (kubectl logs shows it).
    const log = h.sim.logs.read("default", pod.metadata.name, "gitlab-runner") ?? [];
    expect(log.at(-1)).toMatch(/^FATAL: Failed to load config decoding configuration file: toml: line 5/);
    expect(
      h.store.list(POD, { namespace: "default" }).filter((p) => p.metadata.labels?.["job.runner.gitlab.com/pod"]),
    ).toEqual([]);
  });

  it("has no token when config.toml has none: RUNNER_TOKEN is not read, no jobs run", () => {
    const h = simulate({ seed: 1, jobsPerMinute: 12 });
    seedStyleRunner(
      h,
      'concurrent = 2\n[[runners]]\n  name = "seed"\n  url = "https://gitlab.com/"\n  executor = "kubernetes"\n',
    );
    h.clock.advance(2 * 60_000);
    const log = h.sim.logs.read("default", runnerPod(h).metadata.name, "gitlab-runner") ?? [];
    expect(log.some((l) => l.startsWith("WARNING: Runner token is empty or whitespace"))).toBe(true);
    expect(
      h.store.list(POD, { namespace: "default" }).filter((p) => p.metadata.labels?.["job.runner.gitlab.com/pod"]),
    ).toEqual([]);
  });

  it("re-reads a mounted config.toml when the kubelet has synced the changed ConfigMap into the volume", () => {
    const h = simulate({ seed: 1, jobsPerMinute: 30 });
    const config = (concurrent: number) =>
      `concurrent = ${concurrent}\n[[runners]]\n  name = "r"\n  url = "https://gitlab.com/"\n  token = "glrt-t1_Inline0123456789abcdef"\n  executor = "kubernetes"\n  [runners.kubernetes]\n    namespace = "default"\n    image = "alpine:3.20"\n`;
    seedStyleRunner(h, config(1));
    const jobs = () =>
      h.store
        .list(POD, { namespace: "default" })
        .filter((p) => p.metadata.labels?.["job.runner.gitlab.com/pod"] && !p.metadata.deletionTimestamp).length;
    h.clock.advance(60_000);
    expect(jobs()).toBe(1);
    const cm = h.store.get(CONFIG_MAP, "default", "gitlab-runner-config")!;
    h.store.update({ ...cm, data: { "config.toml": config(3) } });
    h.clock.advance(5_000);
    expect(jobs()).toBe(1); // not yet in the volume
    expect(h.clock.advanceUntil(() => jobs() === 3, 90_000)).toBe(true);
  });

  it("with ask-ci's entrypoint the config is a copy: a ConfigMap change reaches the runner only with a new pod", () => {
    const h = simulate({ seed: 1, jobsPerMinute: 30 });
    deployRunner(h);
    h.clock.advance(60_000);
    const before = runnerPodOf(h)!;
    const cm = h.store.get(CONFIG_MAP, NS, "ask-ci-demo-config")!;
    const data = cm.data as Record<string, string>;
    h.store.update({
      ...cm,
      data: { ...data, "config.toml": data["config.toml"].replace("concurrent = 4", "concurrent = 1") },
    });
    h.clock.advance(3 * 60_000);
    expect(runnerPodOf(h)!.metadata.uid).toBe(before.metadata.uid);
    expect(runnerLog(h).filter((l) => l.startsWith("Configuration loaded"))).toHaveLength(1);
  });

  it.each([
    ["19.1.2", ""],
    ["19.2.2", " (last phase: Pending)"],
  ])("%s: a pod that never starts fails the job after poll_timeout%s and is deleted", (version, detail) => {
    const h = simulate({ seed: 6, jobsPerMinute: 30 });
    seedStyleRunner(
      h,
      'concurrent = 1\n[[runners]]\n  name = "r"\n  url = "https://gitlab.com/"\n  token = "glrt-t1_Inline0123456789abcdef"\n  executor = "kubernetes"\n  [runners.kubernetes]\n    namespace = "default"\n    image = "alpine:3.20"\n    poll_timeout = 30\n    [runners.kubernetes.pod_annotations]\n      "demo.ask-ci.dev/fail" = "stuck-pending"\n',
      `gitlab/gitlab-runner:alpine-v${version}`,
    );
    const gitlab = (h.sim.gitlab as GitLabNetwork).builtIn;
    const jobPod = () =>
      h.store.list(POD, { namespace: "default" }).find((p) => p.metadata.labels?.["job.runner.gitlab.com/pod"]);
    expect(h.clock.advanceUntil(() => jobPod() !== undefined, 3 * 60_000, 1000)).toBe(true);
    const first = jobPod()!.metadata.name;
    expect(h.clock.advanceUntil(() => gitlab.finished.length > 0, 10 * 60_000, 1000)).toBe(true);
    expect(gitlab.finished[0].result).toEqual({ state: "failed", failureReason: "runner_system_failure" });
    const log = h.sim.logs.read("default", runnerPod(h).metadata.name, "gitlab-runner") ?? [];
    expect(
      log.some((l) =>
        l.includes(`prepare environment: waiting for pod running: timed out waiting for pod to start${detail}  `),
      ),
    ).toBe(true);
    // Cleanup deletes the pod that never ran.
    const stuck = h.store.get(POD, "default", first);
    expect(stuck === undefined || stuck.metadata.deletionTimestamp !== undefined).toBe(true);
  });

  it("fails a job whose image cannot be pulled as the runner words it: 'Job failed:' (a BuildError, not a system failure), reported as runner_system_failure to a GitLab that does not list image_pull_failure", () => {
    const h = simulate({ seed: 6, jobsPerMinute: 30 });
    seedStyleRunner(
      h,
      'concurrent = 1\n[[runners]]\n  name = "r"\n  url = "https://gitlab.com/"\n  token = "glrt-t1_Inline0123456789abcdef"\n  executor = "kubernetes"\n  [runners.kubernetes]\n    namespace = "default"\n    image = "alpine:3.20"\n    [runners.kubernetes.pod_annotations]\n      "demo.ask-ci.dev/fail" = "image-pull"\n',
      "gitlab/gitlab-runner:alpine-v17.11.4",
    );
    const gitlab = (h.sim.gitlab as GitLabNetwork).builtIn;
    expect(h.clock.advanceUntil(() => gitlab.finished.length > 0, 10 * 60_000, 1000)).toBe(true);
    expect(gitlab.finished[0].result).toEqual({ state: "failed", failureReason: "runner_system_failure" });
    const log = h.sim.logs.read("default", runnerPod(h).metadata.name, "gitlab-runner") ?? [];
    const failed = log.find((l) => l.includes("waiting for pod running: pulling image"));
    expect(failed).toMatch(
      /^ERROR: Job failed: prepare environment: waiting for pod running: pulling image "[^"]+" for container build: image pull failed: /,
    );
  });

  it("frees a job's slot once its pod's deletion is asked for, not when the pod is gone: the next job starts during the grace period", () => {
    const h = simulate({ seed: 5, jobsPerMinute: 30, speed: 30 });
    seedStyleRunner(
      h,
      'concurrent = 1\n[[runners]]\n  name = "r"\n  url = "https://gitlab.com/"\n  token = "glrt-t1_Inline0123456789abcdef"\n  executor = "kubernetes"\n  [runners.kubernetes]\n    namespace = "default"\n    image = "alpine:3.20"\n',
    );
    const jobPods = () =>
      h.store.list(POD, { namespace: "default" }).filter((p) => p.metadata.labels?.["job.runner.gitlab.com/pod"]);
    let overlaps = 0;
    let mostActive = 0;
    h.store.subscribe(({ type, object }) => {
      if (type !== "ADDED" || !object.metadata.labels?.["job.runner.gitlab.com/pod"]) return;
      const others = jobPods().filter((p) => p.metadata.name !== object.metadata.name);
      // A new job pod while the last one still runs out its grace period (deleted, not gone).
      if (others.some((p) => p.metadata.deletionTimestamp)) overlaps++;
      mostActive = Math.max(mostActive, 1 + others.filter((p) => !p.metadata.deletionTimestamp).length);
    });
    const gitlab = (h.sim.gitlab as GitLabNetwork).builtIn;
    expect(h.clock.advanceUntil(() => gitlab.finished.length >= 4, 20 * 60_000, 500)).toBe(true);
    expect(overlaps).toBeGreaterThan(0);
    // concurrent = 1 still holds for the jobs themselves.
    expect(mostActive).toBe(1);
  });

  it("fails a job that names no image when config.toml has no default either, without creating a pod", () => {
    const h = simulate({ seed: 6, jobsPerMinute: 30 });
    seedStyleRunner(
      h,
      'concurrent = 4\n[[runners]]\n  name = "r"\n  url = "https://gitlab.com/"\n  token = "glrt-t1_Inline0123456789abcdef"\n  executor = "kubernetes"\n  [runners.kubernetes]\n    namespace = "default"\n',
    );
    const gitlab = (h.sim.gitlab as GitLabNetwork).builtIn;
    expect(h.clock.advanceUntil(() => gitlab.finished.some((f) => f.job.image === undefined), 20 * 60_000, 1000)).toBe(
      true,
    );
    const noImage = gitlab.finished.find((f) => f.job.image === undefined)!;
    expect(noImage.result).toEqual({ state: "failed", failureReason: "runner_system_failure" });
    const log = h.sim.logs.read("default", runnerPod(h).metadata.name, "gitlab-runner") ?? [];
    expect(log.some((l) => l.includes("prepare environment: no image specified and no default set in config"))).toBe(
      true,
    );
  });
});

describe("what the runner does not do", () => {
  it("leaves its job pods behind when its container is killed; they fail with DeadlineExceeded at timeout + 1", () => {
    const h = simulate({ seed: 9, jobsPerMinute: 12, speed: 30 });
    deployRunner(h);
    expect(h.clock.advanceUntil(() => jobPodsOf(h).some((p) => phase(p) === "Running"), 3 * 60_000)).toBe(true);
    const orphans = jobPodsOf(h)
      .filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name);
    // The OOM killer takes the runner: no shutdown, no clean-up.
    const runner = runnerPodOf(h)!;
    h.store.update({
      ...runner,
      metadata: { ...runner.metadata, annotations: { ...runner.metadata.annotations, "demo.ask-ci.dev/fail": "oom" } },
    });
    h.clock.advance(1000);
    expect(
      containerStatus(runnerPodOf(h), "gitlab-runner")?.lastState.terminated ??
        containerStatus(runnerPodOf(h), "gitlab-runner")?.state.terminated,
    ).toMatchObject({ reason: "OOMKilled" });
    // At speed 30 a 60-minute timeout is 2 minutes.
    h.clock.advance(3 * 60_000);
    const left = orphans.map((name) => h.store.get(POD, NS, name)).filter(Boolean) as KubeObject[];
    expect(left.length).toBeGreaterThan(0);
    for (const pod of left) {
      expect(pod.status).toMatchObject({ phase: "Failed", reason: "DeadlineExceeded" });
      expect(pod.metadata.deletionTimestamp).toBeUndefined();
    }
  });

  it("fails the job of a reclaimed spot pod and deletes the Failed pod; the Secret goes with it", () => {
    const h = simulate({ seed: 8, jobsPerMinute: 12, spotNoticeMs: 10_000 });
    deployRunner(h, { spot: true });
    expect(h.clock.advanceUntil(() => jobPodsOf(h).some((p) => phase(p) === "Running"), 3 * 60_000)).toBe(true);
    const target = jobPodsOf(h).find((p) => phase(p) === "Running")!;
    const secret = (spec(target).imagePullSecrets as Array<{ name: string }>)[0].name;
    expect(h.store.get(SECRET, NS, secret)?.type).toBe("kubernetes.io/dockercfg");
    const history = recordJobPods(h);
    h.store.update({
      ...target,
      metadata: {
        ...target.metadata,
        annotations: { ...target.metadata.annotations, "demo.ask-ci.dev/fail": "killed" },
      },
    });
    h.clock.advance(30_000);
    const events = history.get(target.metadata.name)!;
    const bidFailed = events.find((e) => (e.pod.status as { reason?: string }).reason === "BidFailed");
    expect(bidFailed).toBeDefined();
    expect(events.at(-1)!.type).toBe("DELETED");
    // The runner reads the pod's phase by polling it (poll_interval 3 s): the Failed pod is there
    // for a while before its job is failed and the pod deleted (a terminal pod goes at once).
    const gone = events.at(-1)!.at - bidFailed!.at;
    expect(gone).toBeGreaterThan(0);
    expect(gone).toBeLessThanOrEqual(3000);
    expect(runnerLog(h).some((l) => l.includes(`pod "${target.metadata.name}" status is "Failed"`))).toBe(true);
    expect(h.eventsFor(target.metadata.name).some((e) => e.reason === "SpotToBeReleased")).toBe(true);
    const gitlab = (h.sim.gitlab as GitLabNetwork).builtIn;
    expect(
      gitlab.finished.find((f) => String(f.job.id) === target.metadata.annotations?.["job.runner.gitlab.com/id"])
        ?.result,
    ).toEqual({ state: "failed", failureReason: "runner_system_failure" });
    h.clock.advance(1000);
    expect(h.store.get(SECRET, NS, secret)).toBeUndefined();
  });
});
