import { describe, expect, it } from "vitest";
import { specFromPodYaml } from "./pod-yaml";

const seedJobPod = `
apiVersion: v1
kind: Pod
metadata:
  name: runner-abc-project-1-concurrent-0-xyz
spec:
  containers:
    - name: build
      resources:
        requests: { cpu: "0.5", memory: 1Gi }
        limits: { cpu: "0.5", memory: 1Gi }
    - name: helper
      resources:
        requests: { cpu: 500m, memory: 1Gi }
        limits: { cpu: 500m, memory: 1Gi }
`;

describe("specFromPodYaml", () => {
  it.each([
    ["the seed's job pod (build + helper, 0.5/1Gi each)", seedJobPod, { vcpu: 1, memoryGiB: 2 }, "limits"],
    ["a resources block with limits", "limits:\n  cpu: 1500m\n  memory: 3Gi\n", { vcpu: 2, memoryGiB: 4 }, "limits"],
    [
      "a resources block with only requests",
      "requests:\n  cpu: 250m\n  memory: 512Mi\n",
      { vcpu: 0.25, memoryGiB: 0.5 },
      "requests",
    ],
    [
      "one container",
      "name: build\nresources:\n  limits: { cpu: 2, memory: 8Gi }\n",
      { vcpu: 2, memoryGiB: 8 },
      "limits",
    ],
    [
      "a list of containers",
      "- resources: { requests: { cpu: 1, memory: 1Gi } }\n- resources: { requests: { cpu: 1, memory: 1Gi } }\n",
      { vcpu: 2, memoryGiB: 2 },
      "requests",
    ],
    ["a pod spec", "containers:\n  - name: build\n", { vcpu: 2, memoryGiB: 4 }, "default"],
    [
      "eci-use-specs wins over limits",
      "metadata:\n  annotations:\n    k8s.aliyun.com/eci-use-specs: 4-8Gi\nspec:\n  containers:\n    - resources: { limits: { cpu: 1, memory: 2Gi } }\n",
      { vcpu: 4, memoryGiB: 8 },
      "eci-use-specs",
    ],
  ])("%s", (_name, text, billed, source) => {
    const result = specFromPodYaml(text);
    expect(result).toMatchObject({ ok: true, billed, source });
  });

  it.each([
    ["", "empty"],
    ["   \n", "empty"],
    ["limits: [1, 2", "yaml"],
    ["just a string", "shape"],
    ["apiVersion: v1\nkind: Pod\n", "shape"],
    ["limits:\n  cpu: lots\n", "quantity"],
  ])("refuses %j (%s)", (text, error) => {
    expect(specFromPodYaml(text)).toEqual({ ok: false, error });
  });
});
