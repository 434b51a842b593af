import { describe, expect, it } from "vitest";
import { podCostRate } from "@/lib/cost/pod-cost";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import type { Pod } from "@/lib/kube/pod";
import { jobRecordData, jobEndOf } from "@/lib/job-history/record";
import { slimWatchedPod } from "./pod-slim";
import { toPodSummary } from "./pod-summary";
import { jobPod } from "./testing/pods";

const book = DEFAULT_PRICE_BOOKS.cn;

function fatPod(): Pod {
  const pod = jobPod("a", "1", "Succeeded", { started: "2026-01-01T00:00:05Z", finished: "2026-01-01T00:03:00Z" });
  delete pod.metadata!.annotations!["k8s.aliyun.com/eci-instance-spec"];
  pod.spec = {
    volumes: [{ name: "repo", emptyDir: {} }],
    initContainers: [
      {
        name: "init-permissions",
        image: "helper",
        command: ["sh", "-c", "chmod"],
        env: [{ name: "CI_JOB_TOKEN", value: "secret-token" }],
      },
    ],
    containers: [
      {
        name: "build",
        image: "alpine",
        command: ["sh"],
        args: ["-c", "make"],
        envFrom: [{ secretRef: { name: "ci" } }],
        env: [
          { name: "CI_JOB_TOKEN", value: "secret-token" },
          { name: "CI_PROJECT_PATH", value: "group/app" },
        ],
        resources: { limits: { cpu: "2", memory: "4Gi" } },
      },
      { name: "helper", image: "helper", resources: { limits: { cpu: "1", memory: "1Gi" } } },
      // ECI leaves this one out of the billed spec: the switch must survive slimming.
      {
        name: "svc-0",
        image: "redis",
        env: [
          { name: "__ECI_RESOURCE_IGNORE__", value: "TRUE" },
          { name: "PASSWORD", value: "x" },
        ],
        resources: { limits: { cpu: "4", memory: "8Gi" } },
      },
    ],
  };
  return pod;
}

describe("slimWatchedPod", () => {
  it("drops env values, envFrom, command, args and volumes, keeping ECI's env switches", () => {
    const slim = slimWatchedPod(fatPod());
    const json = JSON.stringify(slim);
    for (const gone of ["secret-token", "CI_PROJECT_PATH", "secretRef", "make", "chmod", "emptyDir", "PASSWORD"])
      expect(json).not.toContain(gone);
    expect(slim.spec?.volumes).toBeUndefined();
    expect(slim.spec?.containers.map((c) => c.env)).toEqual([
      undefined,
      undefined,
      [{ name: "__ECI_RESOURCE_IGNORE__", value: "TRUE" }],
    ]);
    expect(slim.spec?.containers.map((c) => c.name)).toEqual(["build", "helper", "svc-0"]);
  });

  it("changes neither the row summary, the cost nor the JobRecord", () => {
    const fat = fatPod();
    const slim = slimWatchedPod(fatPod());
    const withoutSwitch = fatPod();
    delete withoutSwitch.spec!.containers[2].env;
    // The pod is one where ECI's switch changes the billed spec, so losing it would show.
    expect(podCostRate(withoutSwitch, book).spec).not.toEqual(podCostRate(fat, book).spec);
    expect(toPodSummary(slim, book)).toEqual(toPodSummary(fat, book));
    const at = new Date("2026-01-01T00:05:00Z");
    expect(jobRecordData(slim, jobEndOf(slim, false, at)!, "c1", book)).toEqual(
      jobRecordData(fat, jobEndOf(fat, false, at)!, "c1", book),
    );
  });

  it("leaves a pod without spec alone (a BOOKMARK carries only metadata)", () => {
    const bookmark: Pod = { apiVersion: "v1", kind: "Pod", metadata: { resourceVersion: "9" } };
    expect(slimWatchedPod(bookmark)).toEqual({ apiVersion: "v1", kind: "Pod", metadata: { resourceVersion: "9" } });
  });
});
