import { describe, expect, it } from "vitest";
import { EVENT, IMAGE_CACHE, NODE, POD, VIRTUAL_NODE_NAME } from "./kinds";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import { ECI_INSTANCE_ID } from "./kubelet";
import { startSimulation } from "./index";
import { containerStatus, podManifest, simulate } from "./testing/harness";

describe("kubelet on the ECI virtual node", () => {
  it("schedules, pulls, runs and completes a pod with kubelet-like status and events", () => {
    const h = simulate({ seed: 1 });
    h.store.create(podManifest("once"));
    h.clock.advance(0);

    const scheduled = h.pod("once")!;
    expect((scheduled.spec as { nodeName: string }).nodeName).toBe(VIRTUAL_NODE_NAME);
    expect(scheduled.metadata.annotations?.[ECI_INSTANCE_ID]).toMatch(/^eci-bp1[a-z0-9]{17}$/);
    expect(h.phase("once")).toBe("Pending");
    expect(containerStatus(scheduled, "main")?.state.waiting?.reason).toBe("ContainerCreating");
    const conditions = (scheduled.status as { conditions: Array<{ type: string; status: string }> }).conditions;
    expect(conditions.find((c) => c.type === "PodScheduled")?.status).toBe("True");

    expect(h.clock.advanceUntil(() => h.phase("once") === "Running", 60_000)).toBe(true);
    const running = h.pod("once")!;
    const main = containerStatus(running, "main")!;
    expect(main.state.running?.startedAt).toBeTruthy();
    expect(main.ready).toBe(true);
    expect(main.imageID).toContain("@sha256:");
    expect((running.status as { podIP?: string }).podIP).toMatch(/^172\.16\./);
    expect(
      (running.status as { conditions: Array<{ type: string; status: string }> }).conditions.find(
        (c) => c.type === "Ready",
      )?.status,
    ).toBe("True");

    expect(h.clock.advanceUntil(() => h.phase("once") === "Succeeded", 60_000)).toBe(true);
    const done = containerStatus(h.pod("once"), "main")!;
    expect(done.state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(done.state.terminated.finishedAt).toBeTruthy();

    const reasons = h.eventsFor("once").map((e) => e.reason);
    expect(reasons).toEqual(["Scheduled", "Pulling", "Pulled", "Created", "Started"]);
    const scheduledEvent = h.eventsFor("once")[0];
    expect(scheduledEvent.source).toEqual({ component: "default-scheduler" });
    expect(scheduledEvent.metadata.namespace).toBe("default");
    expect(h.errors).toEqual([]);
  });

  it.each([
    [
      "limits over requests",
      { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } },
      {},
      "1.0-2.0Gi",
    ],
    ["requests only, rounded up", { requests: { cpu: "300m", memory: "600Mi" } }, {}, "0.5-1.0Gi"],
    [
      "eci-use-specs wins",
      { limits: { cpu: "1", memory: "2Gi" } },
      { "k8s.aliyun.com/eci-use-specs": "4-8Gi" },
      "4.0-8.0Gi",
    ],
    ["nothing set defaults to 2 vCPU / 4 GiB", undefined, {}, "2.0-4.0Gi"],
  ])("annotates the billed spec: %s", (_name, resources, annotations, expected) => {
    const h = simulate();
    h.store.create(
      podManifest("spec", {
        annotations,
        spec: { containers: [{ name: "main", image: "busybox", ...(resources ? { resources } : {}) }] },
      }),
    );
    h.clock.advance(0);
    const stamped = h.pod("spec")?.metadata.annotations ?? {};
    expect(stamped[ECI_ANNOTATIONS.instanceSpec]).toBe(expected);
    const [vcpu, memory] = expected.replace("Gi", "").split("-").map(Number);
    expect(Number(stamped[ECI_ANNOTATIONS.instanceCpu])).toBe(vcpu);
    expect(Number(stamped[ECI_ANNOTATIONS.instanceMemory])).toBe(memory);
  });

  it("pulls in 2-5 s with the eci-image-cache annotation or a Ready ImageCache, 20-40 s otherwise", () => {
    const timeToRunning = (
      setup: (h: ReturnType<typeof simulate>) => void,
      annotations: Record<string, string> = {},
    ) => {
      const h = simulate({ seed: 7 });
      setup(h);
      h.store.create(
        podManifest("p", {
          annotations,
          spec: { containers: [{ name: "main", image: "registry.example.com/app:1" }] },
        }),
      );
      const start = h.clock.now();
      h.clock.advanceUntil(() => h.phase("p") === "Running", 120_000, 100);
      return h.clock.now() - start;
    };
    const cold = timeToRunning(() => {});
    const annotated = timeToRunning(() => {}, { "k8s.aliyun.com/eci-image-cache": "true" });
    const cached = timeToRunning((h) => {
      h.store.create({
        apiVersion: "eci.alibabacloud.com/v1",
        kind: "ImageCache",
        metadata: { name: "app" },
        spec: { images: ["registry.example.com/app:1"] },
      });
      h.clock.advance(20_000);
      expect((h.store.get(IMAGE_CACHE, undefined, "app")?.status as { phase: string }).phase).toBe("Ready");
    });
    expect(cold).toBeGreaterThanOrEqual(20_000);
    expect(cold).toBeLessThanOrEqual(40_500);
    for (const fast of [annotated, cached]) {
      expect(fast).toBeGreaterThanOrEqual(2000);
      expect(fast).toBeLessThanOrEqual(5500);
    }
  });

  it("reports ErrImagePull then ImagePullBackOff for an image that does not exist, and retries", () => {
    const h = simulate();
    h.store.create(
      podManifest("bad", { spec: { containers: [{ name: "main", image: "example.com/does-not-exist:1" }] } }),
    );
    h.clock.advanceUntil(
      () => containerStatus(h.pod("bad"), "main")?.state.waiting?.reason === "ErrImagePull",
      10_000,
      100,
    );
    expect(containerStatus(h.pod("bad"), "main")?.state.waiting?.reason).toBe("ErrImagePull");
    h.clock.advance(1500);
    expect(containerStatus(h.pod("bad"), "main")?.state.waiting?.reason).toBe("ImagePullBackOff");
    expect(h.phase("bad")).toBe("Pending");
    h.clock.advance(60_000);
    const events = h.eventsFor("bad");
    const failed = events.filter((e) => e.reason === "Failed" && e.type === "Warning");
    expect(failed.map((e) => e.message)).toContain("Error: ImagePullBackOff");
    expect(failed.find((e) => e.message === "Error: ErrImagePull")!.count).toBeGreaterThan(1);
    expect(events.find((e) => e.reason === "BackOff")?.message).toBe(
      'Back-off pulling image "example.com/does-not-exist:1"',
    );
  });

  it("OOM-kills a pod annotated to fail with oom", () => {
    const h = simulate();
    h.store.create(podManifest("oom", { annotations: { "demo.ask-ci.dev/fail": "oom" } }));
    expect(h.clock.advanceUntil(() => h.phase("oom") === "Failed", 120_000)).toBe(true);
    expect(containerStatus(h.pod("oom"), "main")?.state.terminated).toMatchObject({
      exitCode: 137,
      reason: "OOMKilled",
    });
  });

  it("reclaims a spot pod annotated killed: SpotToBeReleased, then Failed with reason BidFailed, kept", () => {
    const h = simulate();
    h.store.create(
      podManifest("spot", {
        annotations: { "demo.ask-ci.dev/fail": "killed", "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo" },
        spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] },
      }),
    );
    h.sim.scripts.set("default", "spot", { main: { exitCode: 0, lines: [], expectedMs: 10 * 60_000 } });
    expect(h.clock.advanceUntil(() => h.phase("spot") === "Running", 60_000)).toBe(true);
    expect(
      h.clock.advanceUntil(() => h.eventsFor("spot").some((e) => e.reason === "SpotToBeReleased"), 10 * 60_000),
    ).toBe(true);
    const warnedAt = h.clock.now();
    expect(h.eventsFor("spot").find((e) => e.reason === "SpotToBeReleased")?.message).toBe(
      "Spot ECI will be released in 3 minutes",
    );
    expect(h.phase("spot")).toBe("Running");
    expect(h.clock.advanceUntil(() => h.phase("spot") === "Failed", 4 * 60_000, 1000)).toBe(true);
    expect(h.clock.now() - warnedAt).toBeGreaterThanOrEqual(3 * 60_000);
    expect(h.pod("spot")?.status).toMatchObject({ phase: "Failed", reason: "BidFailed" });
    h.clock.advance(60_000);
    expect(h.pod("spot")).toBeDefined();
  });

  it("marks a non-spot pod whose instance is lost Failed with the virtual kubelet's NotFound", () => {
    const h = simulate();
    h.store.create(podManifest("lost", { annotations: { "demo.ask-ci.dev/fail": "killed" } }));
    h.sim.scripts.set("default", "lost", { main: { exitCode: 0, lines: [], expectedMs: 60_000 } });
    expect(h.clock.advanceUntil(() => h.phase("lost") === "Failed", 5 * 60_000)).toBe(true);
    expect(h.pod("lost")?.status).toMatchObject({
      reason: "NotFound",
      message: "The pod status was not found and may have been deleted from the provider",
    });
    expect(containerStatus(h.pod("lost"), "main")?.state.terminated).toMatchObject({
      exitCode: -137,
      reason: "NotFound",
    });
  });

  it("evicts a pod annotated evicted: Failed with reason Evicted and an event", () => {
    const h = simulate();
    h.store.create(podManifest("ev", { annotations: { "demo.ask-ci.dev/fail": "evicted" } }));
    h.sim.scripts.set("default", "ev", { main: { exitCode: 0, lines: [], expectedMs: 60_000 } });
    expect(h.clock.advanceUntil(() => h.phase("ev") === "Failed", 5 * 60_000)).toBe(true);
    expect(h.pod("ev")?.status).toMatchObject({ reason: "Evicted" });
    expect(h.eventsFor("ev").some((e) => e.reason === "Evicted")).toBe(true);
  });

  it("fails a pod past activeDeadlineSeconds from its start time with DeadlineExceeded", () => {
    const h = simulate();
    h.store.create(podManifest("slow", { spec: { activeDeadlineSeconds: 90 } }));
    h.sim.scripts.set("default", "slow", { main: { exitCode: 0, lines: [] } });
    expect(h.clock.advanceUntil(() => h.phase("slow") === "Running", 60_000)).toBe(true);
    const start = Date.parse((h.pod("slow")?.status as { startTime: string }).startTime);
    expect(h.clock.advanceUntil(() => h.phase("slow") === "Failed", 5 * 60_000, 1000)).toBe(true);
    expect(h.clock.now() - start).toBeGreaterThanOrEqual(90_000);
    expect(h.clock.now() - start).toBeLessThan(92_000);
    expect(h.pod("slow")?.status).toMatchObject({
      reason: "DeadlineExceeded",
      message: "Pod was active on the node longer than the specified deadline",
    });
    expect(containerStatus(h.pod("slow"), "main")?.state.terminated).toMatchObject({ exitCode: 137 });
  });

  it("strikes at once when a fate annotation is added to a running pod", () => {
    const h = simulate();
    h.store.create(
      podManifest("later", {
        spec: {
          containers: [
            { name: "main", image: "busybox" },
            { name: "side", image: "busybox" },
          ],
        },
      }),
    );
    h.sim.scripts.set("default", "later", {
      main: { exitCode: 0, lines: [] },
      side: { exitCode: 0, lines: [] },
    });
    expect(h.clock.advanceUntil(() => h.phase("later") === "Running", 60_000)).toBe(true);
    const pod = h.pod("later")!;
    h.store.update({
      ...pod,
      metadata: { ...pod.metadata, annotations: { ...pod.metadata.annotations, "demo.ask-ci.dev/fail": "oom" } },
    });
    h.clock.advance(100);
    expect(containerStatus(h.pod("later"), "main")?.state.terminated).toMatchObject({
      exitCode: 137,
      reason: "OOMKilled",
    });
    // The other container keeps running, as on a node.
    expect(containerStatus(h.pod("later"), "side")?.state.running).toBeTruthy();
    expect(h.phase("later")).toBe("Running");
  });

  it("leaves a stuck-pending pod in ContainerCreating", () => {
    const h = simulate();
    h.store.create(podManifest("stuck", { annotations: { "demo.ask-ci.dev/fail": "stuck-pending" } }));
    h.clock.advance(10 * 60_000);
    expect(h.phase("stuck")).toBe("Pending");
    expect(containerStatus(h.pod("stuck"), "main")?.state.waiting?.reason).toBe("ContainerCreating");
  });

  it("runs init containers one after another before the app containers", () => {
    const h = simulate({ seed: 5 });
    h.store.create(
      podManifest("init", {
        annotations: { "k8s.aliyun.com/eci-image-cache": "true" },
        spec: {
          initContainers: [
            { name: "prepare", image: "busybox" },
            { name: "migrate", image: "busybox" },
          ],
        },
      }),
    );
    h.clock.advance(0);
    expect(containerStatus(h.pod("init"), "main")?.state.waiting?.reason).toBe("PodInitializing");
    const initStatus = (name: string) =>
      (
        h.pod("init")?.status as {
          initContainerStatuses: Array<{ name: string; state: Record<string, { reason?: string; exitCode?: number }> }>;
        }
      ).initContainerStatuses.find((s) => s.name === name)!;
    const initialized = () =>
      (
        h.pod("init")?.status as { conditions: Array<{ type: string; status: string; message?: string }> }
      ).conditions.find((c) => c.type === "Initialized")!;
    expect(h.clock.advanceUntil(() => "running" in initStatus("prepare").state, 30_000, 50)).toBe(true);
    expect(initStatus("migrate").state.waiting?.reason).toBe("PodInitializing");
    expect(initialized()).toMatchObject({
      status: "False",
      message: "containers with incomplete status: [prepare migrate]",
    });
    expect(h.phase("init")).toBe("Pending");

    expect(h.clock.advanceUntil(() => h.phase("init") === "Running", 60_000, 50)).toBe(true);
    expect(initStatus("prepare").state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(initStatus("migrate").state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(initialized().status).toBe("True");
    const started = h
      .eventsFor("init")
      .filter((e) => e.reason === "Started")
      .map((e) => (e.involvedObject as { fieldPath: string }).fieldPath);
    expect(started).toEqual(["spec.initContainers{prepare}", "spec.initContainers{migrate}", "spec.containers{main}"]);
  });

  it("keeps a pod Pending with a Warning when no ECI spec is large enough", () => {
    const h = simulate();
    h.store.create(
      podManifest("huge", {
        spec: {
          containers: [{ name: "main", image: "busybox", resources: { limits: { cpu: "96", memory: "512Gi" } } }],
        },
      }),
    );
    h.clock.advance(5 * 60_000);
    expect(h.phase("huge")).toBe("Pending");
    const warning = h.eventsFor("huge").find((e) => e.type === "Warning");
    expect(warning?.reason).toBe("ProviderCreateFailed");
    expect(warning?.message).toContain("No ECI spec");
    expect(h.pod("huge")?.metadata.annotations?.[ECI_ANNOTATIONS.instanceSpec]).toBeUndefined();
  });

  it("restarts a crashing long-running container with CrashLoopBackOff, keeping the previous log", () => {
    const h = simulate();
    h.store.create(
      podManifest("crash", { annotations: { "demo.ask-ci.dev/fail": "crash" }, spec: { restartPolicy: "Always" } }),
    );
    h.clock.advanceUntil(
      () => containerStatus(h.pod("crash"), "main")?.state.waiting?.reason === "CrashLoopBackOff",
      60_000,
      100,
    );
    const status = containerStatus(h.pod("crash"), "main")!;
    expect(status.lastState.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(h.phase("crash")).toBe("Running");
    expect(h.clock.advanceUntil(() => (containerStatus(h.pod("crash"), "main")?.restartCount ?? 0) >= 1, 30_000)).toBe(
      true,
    );
    expect(h.sim.logs.read("default", "crash", "main", { previous: true })).toEqual([
      "fatal: simulated crash (demo.ask-ci.dev/fail: crash), exiting with status 1",
    ]);
    expect(h.eventsFor("crash").some((e) => e.reason === "BackOff" && e.type === "Warning")).toBe(true);
  });

  it("stops a pod being deleted (Killing): containers that handle SIGTERM at once, a shell PID 1 at the end of the grace period", () => {
    const h = simulate();
    h.store.create(
      podManifest("web", {
        spec: {
          restartPolicy: "Never",
          terminationGracePeriodSeconds: 20,
          containers: [
            { name: "main", image: "busybox" },
            { name: "shell", image: "busybox" },
          ],
        },
      }),
    );
    h.sim.scripts.set("default", "web", {
      main: { exitCode: 0, lines: [] },
      shell: { exitCode: 0, lines: [], ignoresSigterm: true },
    });
    h.clock.advanceUntil(() => h.phase("web") === "Running", 60_000);
    const deletedAt = h.clock.now();
    h.store.delete({ apiVersion: "v1", kind: "Pod" }, "default", "web");
    h.clock.advance(0);
    expect(h.pod("web")?.metadata.deletionTimestamp).toBe(
      new Date(deletedAt + 20_000).toISOString().replace(/\.\d+Z$/, "Z"),
    );
    expect(
      h
        .eventsFor("web")
        .filter((e) => e.reason === "Killing")
        .map((e) => e.message),
    ).toEqual(["Stopping container main", "Stopping container shell"]);
    h.clock.advance(5000);
    expect(containerStatus(h.pod("web"), "main")?.state.terminated).toMatchObject({ exitCode: 143 });
    expect(containerStatus(h.pod("web"), "shell")?.state.running).toBeTruthy();
    expect(h.phase("web")).toBe("Running");
    // The last state written before the pod object goes: what a watcher sees.
    let last: ReturnType<typeof h.pod>;
    h.store.subscribe(({ type, object }) => {
      if (object.metadata.name === "web" && type === "MODIFIED") last = object;
    });
    h.clock.advance(14_900);
    expect(containerStatus(h.pod("web"), "shell")?.state.running).toBeTruthy();
    h.clock.advance(200);
    const shell = containerStatus(last, "shell")?.state.terminated;
    expect(shell).toMatchObject({ exitCode: 137 });
    expect(Date.parse(shell!.finishedAt as string)).toBe(Math.floor((deletedAt + 20_000) / 1000) * 1000);
    expect((last?.status as { phase: string }).phase).toBe("Failed");
    expect(h.pod("web")).toBeUndefined();
    expect(h.sim.logs.read("default", "web", "main")).toBeUndefined();
  });

  it("writes the billed spec as ECI does, quarter vCPUs included", () => {
    const h = simulate();
    h.store.create(
      podManifest("small", {
        spec: {
          containers: [{ name: "main", image: "busybox", resources: { limits: { cpu: "250m", memory: "512Mi" } } }],
        },
      }),
    );
    h.clock.advance(100);
    expect(h.pod("small")?.metadata.annotations?.["k8s.aliyun.com/eci-instance-spec"]).toBe("0.25-0.5Gi");
  });

  it("is deterministic for a seed", () => {
    const run = (seed: number) => {
      const h = simulate({ seed });
      for (let i = 0; i < 5; i++) h.store.create(podManifest(`p${i}`));
      h.clock.advance(90_000);
      const pods = h.store
        .list(POD)
        .map((o) => ({ name: o.metadata.name, annotations: o.metadata.annotations, status: o.status }));
      const events = h.store.list(EVENT).map((e) => [e.metadata.name, e.reason, e.message, e.count]);
      return { pods, events };
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });
});

describe("kubelet restart", () => {
  it("picks up pods already on the node when the simulation starts again", () => {
    const h = simulate({ seed: 2 });
    h.store.create(podManifest("long", { spec: { restartPolicy: "Always" } }));
    h.clock.advanceUntil(() => h.phase("long") === "Running", 60_000);
    h.store.create(podManifest("pending"));
    h.clock.advance(0);
    expect(h.phase("pending")).toBe("Pending");
    h.sim.stop();
    const startedAt = containerStatus(h.pod("long"), "main")?.state.running?.startedAt;

    const again = startSimulation(h.store, {
      clock: h.clock,
      seed: 2,
      failureRate: 0,
      jobsPerMinute: 0,
      onError: (e) => h.errors.push(e),
    });
    h.clock.advance(60_000);
    expect(h.phase("long")).toBe("Running");
    expect(containerStatus(h.pod("long"), "main")?.state.running?.startedAt).toBe(startedAt);
    expect(h.phase("pending")).toBe("Succeeded");
    again.stop();
    expect(h.errors).toEqual([]);
  });
});

describe("kubelet log timing", () => {
  it("writes scripted lines at their offsets from container start and exits with the script's code", () => {
    const h = simulate();
    h.sim.scripts.set("default", "scripted", {
      main: {
        runMs: 20_000,
        exitCode: 3,
        lines: [
          { atMs: 1000, line: "one" },
          { atMs: 5000, line: "two" },
          { atMs: 10_000, line: "three" },
        ],
      },
    });
    h.store.create(podManifest("scripted"));
    h.clock.advanceUntil(() => h.phase("scripted") === "Running", 60_000, 1);
    const lines = () => h.sim.logs.read("default", "scripted", "main");
    h.clock.advance(0);
    expect(lines()).toEqual([]);
    h.clock.advance(1000);
    expect(lines()).toEqual(["one"]);
    h.clock.advance(3998);
    expect(lines()).toEqual(["one"]);
    h.clock.advance(2);
    expect(lines()).toEqual(["one", "two"]);
    h.clock.advance(5000);
    expect(lines()).toEqual(["one", "two", "three"]);
    h.clock.advance(10_000);
    expect(h.phase("scripted")).toBe("Failed");
    expect(containerStatus(h.pod("scripted"), "main")?.state.terminated).toMatchObject({
      exitCode: 3,
      reason: "Error",
    });
  });
});

describe("virtual node status", () => {
  it("renews the node's condition heartbeats every minute", () => {
    const h = simulate();
    const heartbeat = () =>
      Date.parse(
        (
          h.store.get(NODE, undefined, VIRTUAL_NODE_NAME)?.status as {
            conditions: Array<{ type: string; lastHeartbeatTime: string }>;
          }
        ).conditions.find((c) => c.type === "Ready")!.lastHeartbeatTime,
      );
    const first = heartbeat();
    h.clock.advance(61_000);
    expect(heartbeat() - first).toBeGreaterThanOrEqual(60_000);
  });
});

describe("kubelet running ACS pods on the virtual node", () => {
  const ACS = { "alibabacloud.com/acs": "true" };
  const acsPod = (
    name: string,
    resources: Record<string, unknown> | undefined,
    labels: Record<string, string> = ACS,
    annotations: Record<string, string> = {},
  ) =>
    podManifest(name, {
      labels,
      annotations,
      spec: { containers: [{ name: "main", image: "busybox", ...(resources ? { resources } : {}) }] },
    });

  it.each([
    ["nothing set: 2 vCPU / 4 GiB", undefined, "2-4Gi"],
    ["the seed's 1 vCPU / 2 GiB is an ACS size", { limits: { cpu: "1", memory: "2Gi" } }, "1-2Gi"],
    ["0.1 vCPU rounds up to 0.25", { limits: { cpu: "100m", memory: "512Mi" } }, "0.25-0.5Gi"],
    ["0.3 vCPU rounds up to the 0.5 step", { limits: { cpu: "300m", memory: "1Gi" } }, "0.5-1Gi"],
    ["memory rounds up to whole GiB", { limits: { cpu: "2", memory: "4500Mi" } }, "2-5Gi"],
    ["memory below 1:1 is raised to the vCPU count", { limits: { cpu: "4", memory: "2Gi" } }, "4-4Gi"],
    ["vCPU raised so memory stays within 1:8", { limits: { cpu: "1", memory: "12Gi" } }, "1.5-12Gi"],
    [
      "max of Σrequests and Σlimits, per resource",
      { requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "1", memory: "3Gi" } },
      "2-3Gi",
    ],
  ])("writes the normalised spec into pod-use-spec: %s", (_name, resources, expected) => {
    const h = simulate();
    h.store.create(acsPod("acs", resources));
    h.clock.advance(0);
    const annotations = h.pod("acs")?.metadata.annotations ?? {};
    expect(annotations["alibabacloud.com/pod-use-spec"]).toBe(expected);
    expect(annotations["alibabacloud.com/instance-id"]).toMatch(/^acs-[a-z0-9]{20}$/);
    expect(annotations["alibabacloud.com/pod-ephemeral-storage"]).toBe("30Gi");
    // ACS pods carry no ECI annotations: the dashboard tells the two apart by them.
    expect(annotations[ECI_INSTANCE_ID]).toBeUndefined();
    expect(annotations[ECI_ANNOTATIONS.instanceSpec]).toBeUndefined();
    expect(h.clock.advanceUntil(() => h.phase("acs") === "Succeeded", 120_000)).toBe(true);
  });

  it("a compute-class label alone sends the pod to ACS; an unlabelled pod stays on ECI", () => {
    const h = simulate();
    h.store.create(
      acsPod("perf", { limits: { cpu: "1", memory: "2Gi" } }, { "alibabacloud.com/compute-class": "performance" }),
    );
    h.store.create(acsPod("plain", { limits: { cpu: "1", memory: "2Gi" } }, {}));
    h.clock.advance(0);
    expect(h.pod("perf")?.metadata.annotations?.["alibabacloud.com/pod-use-spec"]).toBe("1-2Gi");
    expect(h.pod("plain")?.metadata.annotations?.["alibabacloud.com/pod-use-spec"]).toBeUndefined();
    expect(h.pod("plain")?.metadata.annotations?.[ECI_ANNOTATIONS.instanceSpec]).toBe("1.0-2.0Gi");
  });

  it("a pod larger than ACS offers stays Pending with AcsService's warning", () => {
    const h = simulate();
    h.store.create(acsPod("huge", { limits: { cpu: "96", memory: "192Gi" } }));
    h.clock.advance(5 * 60_000);
    expect(h.phase("huge")).toBe("Pending");
    expect(h.pod("huge")?.metadata.annotations?.["alibabacloud.com/pod-use-spec"]).toBeUndefined();
    const warning = h.eventsFor("huge").find((e) => e.reason === "ProviderCreateFailed");
    expect(warning?.message).toContain("Create ACS instance failed");
    expect(warning?.source).toEqual({ component: "AcsService" });
  });

  it("evicts a best-effort job pod with the notice 5 minutes before, and never a default one", () => {
    const h = simulate({ bestEffortEvictionRate: 1 });
    const twentyMinutes = { main: { runMs: 20 * 60_000, exitCode: 0, lines: [] } };
    h.sim.scripts.set("default", "be", twentyMinutes);
    h.sim.scripts.set("default", "def", twentyMinutes);
    h.store.create(
      acsPod("be", { limits: { cpu: "1", memory: "2Gi" } }, { ...ACS, "alibabacloud.com/compute-qos": "best-effort" }),
    );
    h.store.create(
      acsPod("def", { limits: { cpu: "1", memory: "2Gi" } }, { ...ACS, "alibabacloud.com/compute-qos": "default" }),
    );
    expect(h.clock.advanceUntil(() => h.pod("be") === undefined, 30 * 60_000, 1000)).toBe(true);
    const events = h.eventsFor("be");
    const notice = events.find((e) => e.reason === "BestEffortPodToBeEvicted");
    const killing = events.find((e) => e.reason === "Killing");
    expect(notice?.source).toEqual({ component: "AcsService" });
    expect(notice?.type).toBe("Warning");
    const gap = Date.parse(killing!.firstTimestamp as string) - Date.parse(notice!.firstTimestamp as string);
    expect(gap).toBeGreaterThanOrEqual(5 * 60_000 - 1000);
    expect(gap).toBeLessThanOrEqual(5 * 60_000 + 1000);
    expect(h.clock.advanceUntil(() => h.phase("def") === "Succeeded", 30 * 60_000, 1000)).toBe(true);
    expect(h.eventsFor("def").map((e) => e.reason)).not.toContain("BestEffortPodToBeEvicted");
  });
});
