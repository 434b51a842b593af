import { describe, expect, it } from "vitest";
import type { IEvent } from "kubernetes-models/v1/Event";
import type { Pod } from "@/lib/kube/pod";
import { sortEvents, toEventDto, toPodDetail } from "./pod-detail";
import { jobPod } from "./testing/pods";

describe("toPodDetail", () => {
  it("keeps container names, roles and env names but never env values or managedFields", () => {
    const pod = jobPod("a", "1", "Running");
    pod.spec!.containers.push({ name: "svc-0", image: "redis:7" });
    pod.spec!.containers[0].resources = { requests: { cpu: "1" }, limits: { memory: "2Gi" } };
    const detail = toPodDetail(pod);
    expect(detail.containers.map((c) => [c.name, c.role])).toEqual([
      ["build", "build"],
      ["helper", "helper"],
      ["svc-0", "service"],
    ]);
    expect(detail.containers[0]).toMatchObject({
      envNames: ["CI_JOB_TOKEN"],
      requests: { cpu: "1" },
      limits: { memory: "2Gi" },
    });
    const json = JSON.stringify(detail);
    expect(json).not.toContain("secret-token");
    expect(json).not.toContain("managedFields");
    expect(detail.annotations["job.runner.gitlab.com/id"]).toBe("42");
  });
});

describe("toPodDetail, field by field", () => {
  it("reads every field the panel shows, init containers first, statuses matched by name", () => {
    const pod: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        uid: "u1",
        name: "runner-x",
        namespace: "ci",
        creationTimestamp: "2026-01-01T00:00:00Z",
        labels: { app: "x" },
        annotations: { a: "1" },
      },
      spec: {
        nodeName: "virtual-kubelet",
        initContainers: [{ name: "init-permissions", image: "busybox" }],
        containers: [
          { name: "build", image: "alpine", resources: { requests: { cpu: "1" }, limits: { memory: 2048 as never } } },
          { name: "helper", image: "helper" },
          { name: "svc-12", image: "redis" },
          { name: "svc-1-extra" } as never,
          { name: "xsvc-1", image: "x" },
        ],
      },
      status: {
        phase: "Running",
        podIP: "10.0.0.1",
        qosClass: "Burstable",
        conditions: [
          {
            type: "Ready",
            status: "False",
            reason: "ContainersNotReady",
            message: "not ready",
            lastTransitionTime: "t1",
          },
          { type: "PodScheduled", status: "True" },
        ],
        initContainerStatuses: [
          {
            name: "init-permissions",
            image: "busybox",
            imageID: "",
            ready: true,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: "Completed", startedAt: "s0", finishedAt: "f0" } },
          },
        ],
        containerStatuses: [
          {
            name: "build",
            image: "alpine",
            imageID: "",
            ready: true,
            restartCount: 2,
            state: { running: { startedAt: "s1" } },
          },
          {
            name: "helper",
            image: "helper",
            imageID: "",
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: "ImagePullBackOff" } },
            lastState: { terminated: { exitCode: 1 } },
          },
          {
            name: "svc-12",
            image: "redis",
            imageID: "",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 137, reason: "OOMKilled", startedAt: "s2", finishedAt: "f2" } },
          },
        ],
      },
    };
    const detail = toPodDetail(pod);
    expect(detail).toEqual({
      uid: "u1",
      name: "runner-x",
      namespace: "ci",
      phase: "Running",
      nodeName: "virtual-kubelet",
      podIP: "10.0.0.1",
      qosClass: "Burstable",
      createdAt: "2026-01-01T00:00:00Z",
      containers: [
        {
          name: "init-permissions",
          role: "init",
          image: "busybox",
          state: "terminated",
          reason: "Completed",
          exitCode: 0,
          restarts: 0,
          ready: true,
          startedAt: "s0",
          finishedAt: "f0",
          requests: {},
          limits: {},
          envNames: [],
          hasPrevious: false,
        },
        {
          name: "build",
          role: "build",
          image: "alpine",
          state: "running",
          reason: null,
          exitCode: null,
          restarts: 2,
          ready: true,
          startedAt: "s1",
          finishedAt: null,
          requests: { cpu: "1" },
          limits: { memory: "2048" },
          envNames: [],
          hasPrevious: true,
        },
        {
          name: "helper",
          role: "helper",
          image: "helper",
          state: "waiting",
          reason: "ImagePullBackOff",
          exitCode: null,
          restarts: 0,
          ready: false,
          startedAt: null,
          finishedAt: null,
          requests: {},
          limits: {},
          envNames: [],
          hasPrevious: true,
        },
        {
          name: "svc-12",
          role: "service",
          image: "redis",
          state: "terminated",
          reason: "OOMKilled",
          exitCode: 137,
          restarts: 0,
          ready: false,
          startedAt: "s2",
          finishedAt: "f2",
          requests: {},
          limits: {},
          envNames: [],
          hasPrevious: false,
        },
        expect.objectContaining({ name: "svc-1-extra", role: "other", image: "", state: "unknown", ready: false }),
        expect.objectContaining({ name: "xsvc-1", role: "other" }),
      ],
      conditions: [
        {
          type: "Ready",
          status: "False",
          reason: "ContainersNotReady",
          message: "not ready",
          lastTransitionTime: "t1",
        },
        { type: "PodScheduled", status: "True", reason: null, message: null, lastTransitionTime: null },
      ],
      labels: { app: "x" },
      annotations: { a: "1" },
    });
  });

  it("reads a pod with nothing set as empty, not as an error", () => {
    expect(toPodDetail({} as Pod)).toEqual({
      uid: "",
      name: "",
      namespace: "",
      phase: "Unknown",
      nodeName: null,
      podIP: null,
      qosClass: null,
      createdAt: null,
      containers: [],
      conditions: [],
      labels: {},
      annotations: {},
    });
    expect(toPodDetail({ spec: { containers: [{ name: "build" }] } } as Pod).containers[0]).toMatchObject({
      image: "",
      state: "unknown",
      reason: null,
      exitCode: null,
      restarts: 0,
      ready: false,
      startedAt: null,
      finishedAt: null,
      hasPrevious: false,
    });
  });
});

describe("events", () => {
  it("reads an event's fields, with its defaults", () => {
    expect(
      toEventDto({
        metadata: { uid: "e1", name: "pod.1" },
        type: "Warning",
        reason: "BackOff",
        message: "Back-off pulling image",
        count: 3,
        source: { component: "kubelet" },
        lastTimestamp: "2026-01-01T00:00:05Z",
      } as IEvent),
    ).toEqual({
      uid: "e1",
      type: "Warning",
      reason: "BackOff",
      message: "Back-off pulling image",
      count: 3,
      source: "kubelet",
      lastSeen: "2026-01-01T00:00:05Z",
    });
    expect(toEventDto({ metadata: { name: "pod.2" }, reportingComponent: "eci", eventTime: "t" } as IEvent)).toEqual({
      uid: "pod.2",
      type: "Normal",
      reason: "",
      message: "",
      count: 1,
      source: "eci",
      lastSeen: "t",
    });
    expect(toEventDto({ metadata: { creationTimestamp: "c" } } as IEvent)).toMatchObject({ source: "", lastSeen: "c" });
    expect(toEventDto({} as IEvent)).toMatchObject({ uid: "undefined", lastSeen: null });
  });

  it("sorts events oldest first, undated ones first", () => {
    const dto = (uid: string, lastSeen: string | null) => ({ ...toEventDto({} as IEvent), uid, lastSeen });
    expect(sortEvents([dto("b", "2026-01-02"), dto("n", null), dto("a", "2026-01-01")]).map((e) => e.uid)).toEqual([
      "n",
      "a",
      "b",
    ]);
  });
});
