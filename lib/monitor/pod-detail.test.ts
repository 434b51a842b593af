import { describe, expect, it } from "vitest";
import { toPodDetail } from "./pod-detail";
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
