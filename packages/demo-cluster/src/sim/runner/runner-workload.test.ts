import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import type { KubeObject } from "../../types";
import { CONFIG_MAP, DEPLOYMENT, POD } from "../kinds";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import { startSimulation } from "../index";
import { demoWorkloadObjects, seedDemoWorkload } from "../seed-workload";
import { simulate } from "../testing/harness";

const JOB_POD_NAME = /^runner-demo7xk2p-project-\d+-concurrent-\d+-[a-z0-9]{8}$/;

function jobPods(h: ReturnType<typeof simulate>, namespace = "gitlab-runner"): KubeObject[] {
  return h.store.list(POD, { namespace }).filter((p) => p.metadata.labels?.["job.runner.gitlab.com/pod"]);
}

function runnerRunning(h: ReturnType<typeof simulate>): boolean {
  return h.store
    .list(POD, { namespace: "gitlab-runner" })
    .some(
      (p) =>
        p.metadata.labels?.app === "gitlab-runner" && (p.status as { phase?: string } | undefined)?.phase === "Running",
    );
}

/** Records every job pod ever created and the most that existed at once. */
function watchJobPods(h: ReturnType<typeof simulate>) {
  const seen = new Map<string, KubeObject>();
  const live = new Set<string>();
  let maxLive = 0;
  const phases = new Map<string, string>();
  h.store.subscribe(({ type, object }) => {
    if (object.kind !== "Pod" || !object.metadata.labels?.["job.runner.gitlab.com/pod"]) return;
    const name = object.metadata.name;
    if (type === "ADDED") seen.set(name, object);
    if (type === "DELETED") live.delete(name);
    else live.add(name);
    maxLive = Math.max(maxLive, live.size);
    const phase = (object.status as { phase?: string } | undefined)?.phase;
    if (phase) phases.set(name, phase);
  });
  return { seen, live, phases, maxLive: () => maxLive };
}

describe("GitLab Runner workload", () => {
  it("creates job pods named, labelled and annotated as the Kubernetes executor does", () => {
    const h = simulate({ seed: 11, jobsPerMinute: 12 });
    seedDemoWorkload(h.store);
    const watch = watchJobPods(h);
    h.clock.advance(5 * 60_000);

    expect(watch.seen.size).toBeGreaterThan(3);
    for (const pod of watch.seen.values()) {
      const { labels = {}, annotations = {} } = pod.metadata;
      expect(pod.metadata.name).toMatch(JOB_POD_NAME);
      const unique = pod.metadata.name.slice(0, -9);
      expect(labels).toMatchObject({
        pod: unique,
        "job.runner.gitlab.com/pod": unique,
        "manager.runner.gitlab.com/name": "ask-ci-demo",
        "manager.runner.gitlab.com/id-short": "Demo7xK2p",
      });
      expect(unique).toBe(
        `runner-demo7xk2p-project-${labels["project.runner.gitlab.com/id"]}-concurrent-${unique.split("-").pop()}`,
      );
      for (const key of ["namespace-id", "name", "namespace", "root-namespace", "root-namespace-id"]) {
        expect(labels[`project.runner.gitlab.com/${key}`]).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/);
      }
      expect(annotations["job.runner.gitlab.com/id"]).toMatch(/^\d+$/);
      expect(annotations["job.runner.gitlab.com/url"]).toBe(
        `https://gitlab.com/${labels["project.runner.gitlab.com/namespace"].replace(/_/g, "/")}/${labels["project.runner.gitlab.com/name"]}/-/jobs/${annotations["job.runner.gitlab.com/id"]}`,
      );
      expect(annotations["job.runner.gitlab.com/sha"]).toMatch(/^[0-9a-f]{40}$/);
      expect(annotations["job.runner.gitlab.com/before_sha"]).toMatch(/^[0-9a-f]{40}$/);
      expect(annotations["job.runner.gitlab.com/timeout"]).toBe("1h0m0s");
      expect(annotations["project.runner.gitlab.com/id"]).toBe(labels["project.runner.gitlab.com/id"]);
      expect(annotations["k8s.aliyun.com/eci-image-cache"]).toBe("true");
      expect(annotations["ci.ask-ci.dev/pipeline-id"]).toMatch(/^\d+$/);

      const containers = (pod.spec as { containers: Array<{ name: string; resources?: unknown }> }).containers;
      expect(containers.map((c) => c.name).slice(0, 2)).toEqual(["build", "helper"]);
      containers.slice(2).forEach((c, i) => expect(c.name).toBe(`svc-${i}`));
      expect(containers[0].resources).toEqual({
        requests: { cpu: "0.5", memory: "1Gi" },
        limits: { cpu: "0.5", memory: "1Gi" },
      });
      expect((pod.spec as { restartPolicy: string }).restartPolicy).toBe("Never");
      const [init] = (pod.spec as { initContainers: Array<{ name: string; image: string; command: string[] }> })
        .initContainers;
      const jobId = annotations["job.runner.gitlab.com/id"];
      expect(init).toMatchObject({
        name: "init-permissions",
        image: "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v17.11.0",
      });
      expect(init.command[2]).toBe(
        `touch /logs-${labels["project.runner.gitlab.com/id"]}-${jobId}/output.log && (chmod 777 /logs-${labels["project.runner.gitlab.com/id"]}-${jobId}/output.log || exit 0)`,
      );
    }
    const ids = [...watch.seen.values()].map((p) => Number(p.metadata.annotations?.["job.runner.gitlab.com/id"]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(h.errors).toEqual([]);
  });

  it("bills build + helper at 1 vCPU / 2 GiB and jobs with a service at 2 vCPU / 4 GiB", () => {
    const h = simulate({ seed: 5, jobsPerMinute: 12 });
    seedDemoWorkload(h.store);
    const specs = new Map<number, string>();
    h.store.subscribe(({ object }) => {
      const spec = object.metadata.annotations?.[ECI_ANNOTATIONS.instanceSpec];
      const containers = (object.spec as { containers?: unknown[] } | undefined)?.containers?.length ?? 0;
      if (spec && object.metadata.labels?.["job.runner.gitlab.com/pod"]) specs.set(containers, spec);
    });
    h.clock.advance(10 * 60_000);
    expect(specs.get(2)).toBe("1.0-2.0Gi");
    expect(specs.get(3)).toBe("2.0-4.0Gi");
  });

  it("never runs more than `concurrent` job pods, and deletes finished ones a few seconds later", () => {
    const h = simulate({ seed: 3, jobsPerMinute: 60, speed: 20 });
    seedDemoWorkload(h.store);
    const watch = watchJobPods(h);
    let finishedAt: number | undefined;
    let finishedName = "";
    h.store.subscribe(({ object }) => {
      const phase = (object.status as { phase?: string } | undefined)?.phase;
      if (
        finishedAt === undefined &&
        object.metadata.labels?.["job.runner.gitlab.com/pod"] &&
        (phase === "Succeeded" || phase === "Failed")
      ) {
        finishedAt = h.clock.now();
        finishedName = object.metadata.name;
      }
    });
    h.clock.advance(6 * 60_000);
    expect(watch.maxLive()).toBe(4);
    expect(watch.seen.size).toBeGreaterThan(8);
    expect(finishedAt).toBeDefined();
    expect(h.pod(finishedName, "gitlab-runner")).toBeUndefined();
    expect([...watch.phases.values()]).toContain("Succeeded");
    expect(jobPods(h).length).toBeLessThanOrEqual(4);
  });

  it("picks up `concurrent` waiting jobs as soon as the runner starts", () => {
    const h = simulate({ seed: 14, jobsPerMinute: 1 });
    seedDemoWorkload(h.store);
    const watch = watchJobPods(h);
    h.clock.advanceUntil(() => runnerRunning(h), 60_000, 100);
    h.clock.advance(1000);
    expect(watch.seen.size).toBe(4);
  });

  it("writes job logs to the pod's containers and the runner's own log", () => {
    const h = simulate({ seed: 9, jobsPerMinute: 12 });
    seedDemoWorkload(h.store);
    h.clock.advanceUntil(
      () => jobPods(h).some((p) => (p.status as { phase?: string } | undefined)?.phase === "Running"),
      5 * 60_000,
    );
    const running = jobPods(h).find((p) => (p.status as { phase?: string } | undefined)?.phase === "Running")!;
    h.clock.advance(5000);
    const helper = h.sim.logs.read("gitlab-runner", running.metadata.name, "helper") ?? [];
    expect(helper[0]).toBe("Fetching changes with git depth set to 20...");
    const build = h.sim.logs.read("gitlab-runner", running.metadata.name, "build") ?? [];
    expect(build[0]).toMatch(/^\$ /);

    const followed: string[] = [];
    let ended = false;
    h.sim.logs.follow(
      "gitlab-runner",
      running.metadata.name,
      "build",
      (line) => followed.push(line),
      () => (ended = true),
    );
    h.clock.advanceUntil(() => ended, 10 * 60_000);
    expect(followed.at(-2)).toBe("Cleaning up project directory and file based variables");
    expect(followed.at(-1)).toMatch(/^(Job succeeded|ERROR: Job failed: command terminated with exit code 1)$/);

    const runnerPod = h.store
      .list(POD, { namespace: "gitlab-runner" })
      .find((p) => p.metadata.labels?.app === "gitlab-runner")!;
    const runnerLog = h.sim.logs.read("gitlab-runner", runnerPod.metadata.name, "gitlab-runner") ?? [];
    expect(runnerLog.some((line) => line.startsWith("Checking for jobs... received"))).toBe(true);
  });

  it("is deterministic for a seed", () => {
    const run = (seed: number) => {
      const h = simulate({ seed, jobsPerMinute: 20 });
      seedDemoWorkload(h.store);
      const watch = watchJobPods(h);
      h.clock.advance(4 * 60_000);
      return [...watch.seen.values()].map((p) => [
        p.metadata.name,
        p.metadata.annotations,
        (p.spec as { containers: Array<{ image: string }> }).containers.map((c) => c.image),
      ]);
    };
    expect(run(21)).toEqual(run(21));
    expect(run(21)).not.toEqual(run(22));
  });

  it("keeps job ids increasing across a restart of the simulation", () => {
    const h = simulate({ seed: 12, jobsPerMinute: 20 });
    seedDemoWorkload(h.store);
    const watch = watchJobPods(h);
    h.clock.advance(3 * 60_000);
    h.sim.stop();
    const idsOf = () =>
      [...watch.seen.values()].map((p) => Number(p.metadata.annotations?.["job.runner.gitlab.com/id"]));
    const before = idsOf();
    watch.seen.clear();
    const again = startSimulation(h.store, {
      clock: h.clock,
      seed: 12,
      jobsPerMinute: 20,
      failureRate: 0,
      onError: (e) => h.errors.push(e),
    });
    h.clock.advance(3 * 60_000);
    const after = idsOf();
    again.stop();
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after)).toBeGreaterThan(Math.max(...before));
    expect(h.errors).toEqual([]);
  });

  it("runs two runner replicas sharing a token side by side without losing slots", () => {
    const h = simulate({ seed: 13, jobsPerMinute: 60, speed: 20 });
    for (const object of demoWorkloadObjects()) {
      if (object.kind === "Namespace") continue;
      if (object.kind === "Deployment") (object.spec as { replicas: number }).replicas = 2;
      h.store.create(object);
    }
    const watch = watchJobPods(h);
    const runnerPods = () =>
      h.store.list(POD, { namespace: "gitlab-runner" }).filter((p) => p.metadata.labels?.app === "gitlab-runner");
    const received = () =>
      runnerPods().map(
        (p) =>
          (h.sim.logs.read("gitlab-runner", p.metadata.name, "gitlab-runner") ?? []).filter((l) =>
            l.startsWith("Checking for jobs... received"),
          ).length,
      );
    h.clock.advance(8 * 60_000);
    expect(runnerPods()).toHaveLength(2);
    expect(watch.maxLive()).toBeGreaterThan(4);
    expect(watch.maxLive()).toBeLessThanOrEqual(8);
    const before = received();
    h.clock.advance(3 * 60_000);
    // Each runner still takes jobs: none has lost its slots to the other's clean-up.
    received().forEach((count, i) => expect(count - before[i]).toBeGreaterThan(2));
  });

  it("serves several [[runners]] entries from one manager, each within its own limit", () => {
    const h = simulate({ seed: 15, jobsPerMinute: 60, speed: 20 });
    seedDemoWorkload(h.store);
    const configMap = h.store.get(CONFIG_MAP, "gitlab-runner", "gitlab-runner-config")!;
    const toml = [
      "concurrent = 4",
      ...["glrt-t1_alphaAAAAAAAAAAAA", "glrt-t1_bravoBBBBBBBBBBBB"].flatMap((token, i) => [
        "[[runners]]",
        `  name = "runner-${i}"`,
        `  token = "${token}"`,
        "  limit = 1",
        "  [runners.kubernetes]",
        '    namespace = "gitlab-runner"',
      ]),
    ].join("\n");
    h.store.update({ ...configMap, data: { "config.toml": toml } });
    const live = new Map<string, Set<string>>();
    const maxLive = new Map<string, number>();
    h.store.subscribe(({ type, object }) => {
      const short = object.metadata.labels?.["manager.runner.gitlab.com/id-short"];
      if (object.kind !== "Pod" || !short) return;
      const set = live.get(short) ?? new Set<string>();
      live.set(short, set);
      if (type === "DELETED") set.delete(object.metadata.name);
      else set.add(object.metadata.name);
      maxLive.set(short, Math.max(maxLive.get(short) ?? 0, set.size));
    });
    h.clock.advance(6 * 60_000);
    expect(maxLive.get("alphaAAAA")).toBe(1);
    expect(maxLive.get("bravoBBBB")).toBe(1);
  });

  it("stops creating jobs when the runner pod stops", () => {
    const h = simulate({ seed: 4, jobsPerMinute: 30 });
    seedDemoWorkload(h.store);
    const watch = watchJobPods(h);
    h.clock.advance(2 * 60_000);
    expect(watch.seen.size).toBeGreaterThan(0);
    h.store.delete(DEPLOYMENT, "gitlab-runner", "gitlab-runner");
    h.clock.advance(10_000);
    const before = watch.seen.size;
    h.clock.advance(5 * 60_000);
    expect(watch.seen.size).toBe(before);
  });

  it("reloads config.toml when its ConfigMap changes", () => {
    const h = simulate({ seed: 8, jobsPerMinute: 60, speed: 20 });
    seedDemoWorkload(h.store);
    h.clock.advance(2 * 60_000);
    const configMap = h.store.get(CONFIG_MAP, "gitlab-runner", "gitlab-runner-config")!;
    const data = configMap.data as Record<string, string>;
    h.store.update({
      ...configMap,
      data: { "config.toml": data["config.toml"].replace("concurrent = 4", "concurrent = 1") },
    });
    h.clock.advance(3 * 60_000);
    const watch = watchJobPods(h);
    h.clock.advance(5 * 60_000);
    expect(watch.seen.size).toBeGreaterThan(1);
    expect(watch.maxLive()).toBe(1);
    const runnerPod = h.store
      .list(POD, { namespace: "gitlab-runner" })
      .find((p) => p.metadata.labels?.app === "gitlab-runner")!;
    const log = h.sim.logs.read("gitlab-runner", runnerPod.metadata.name, "gitlab-runner") ?? [];
    expect(
      log.filter((line) => line.startsWith("Configuration loaded")).map((line) => line.split("max_builds=")[1]),
    ).toEqual(["4", "1"]);
  });

  it("runs the seed article's runner despite its invalid config.toml, with a Warning event", () => {
    const h = simulate({ seed: 2, jobsPerMinute: 12 });
    const load = (file: string) => parse(readFileSync(path.join(__dirname, "testdata", file), "utf8")) as KubeObject;
    for (const object of [load("config-map.yaml"), load("gitlab-runner-deployment.yaml")]) {
      h.store.create({ ...object, metadata: { ...object.metadata, namespace: "default" } });
    }
    h.clock.advance(3 * 60_000);

    const runnerPod = h.store
      .list(POD, { namespace: "default" })
      .find((p) => p.metadata.labels?.app === "gitlab-runner")!;
    expect((runnerPod.status as { phase: string }).phase).toBe("Running");
    const warning = h.eventsFor(runnerPod.metadata.name).find((e) => e.type === "Warning");
    expect(warning?.reason).toBe("InvalidRunnerConfig");
    expect(warning?.message).toContain("config.toml in ConfigMap default/gitlab-runner-config: line 6");
    const jobs = jobPods(h, "default");
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.length).toBeLessThanOrEqual(2);
    expect(jobs[0].metadata.name).toMatch(/^runner-[a-z0-9]{9}-project-\d+-concurrent-\d+-[a-z0-9]{8}$/);
    const volumes = (jobs[0].spec as { volumes: Array<{ name: string }> }).volumes.map((v) => v.name);
    expect(volumes).toEqual([
      "registry-auth-secret",
      "gitlab-runner-cache-pvc",
      "gitlab-runner-maven-pvc",
      "repo",
      "scripts",
      "logs",
    ]);
    expect(h.errors).toEqual([]);
  });

  it("runs a runner deployed by the setup wizard (config.template.toml, token from the Secret)", () => {
    const h = simulate({ seed: 6, jobsPerMinute: 30 });
    const objects = parseAllDocuments(readFileSync(path.join(__dirname, "testdata/wizard-runner.yaml"), "utf8")).map(
      (d) => d.toJS() as KubeObject,
    );
    for (const object of objects) h.store.create(object);
    h.clock.advance(4 * 60_000);

    const jobs = jobPods(h, "gitlab-ci");
    expect(jobs.length).toBeGreaterThan(0);
    const pod = jobs[0];
    expect(pod.metadata.name).toMatch(/^runner-example-t-project-\d+-concurrent-\d+-[a-z0-9]{8}$/);
    expect(pod.metadata.labels).toMatchObject({
      "manager.runner.gitlab.com/name": "ask-eci-runner",
      "manager.runner.gitlab.com/id-short": "EXAMPLE_T",
    });
    expect(pod.metadata.annotations?.["job.runner.gitlab.com/url"]).toMatch(/^https:\/\/gitlab\.example\.com\//);
    expect(pod.metadata.annotations?.["k8s.aliyun.com/eci-spot-strategy"]).toBe("SpotAsPriceGo");
    const [build, helper] = (pod.spec as { containers: Array<{ resources: unknown }> }).containers;
    expect(build.resources).toEqual({ requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "1.5", memory: "3Gi" } });
    expect(helper.resources).toEqual({
      requests: { cpu: "250m", memory: "512Mi" },
      limits: { cpu: "250m", memory: "512Mi" },
    });
    const runnerPod = h.store
      .list(POD, { namespace: "gitlab-ci" })
      .find((p) => !p.metadata.labels?.["job.runner.gitlab.com/pod"])!;
    expect(h.eventsFor(runnerPod.metadata.name).filter((e) => e.type === "Warning")).toEqual([]);
    expect(h.errors).toEqual([]);
  });
});
