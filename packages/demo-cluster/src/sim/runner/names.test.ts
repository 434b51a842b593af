import { describe, expect, it } from "vitest";
import { expandVariables, freeProjectSlot, jobPodName, projectUniqueName, sanitizeLabel } from "./names";

describe("GitLab Runner naming rules", () => {
  it("builds the project unique name in lowercase", () => {
    expect(projectUniqueName("AbCdEfGhI", 42, 0)).toBe("runner-abcdefghi-project-42-concurrent-0");
  });

  it("cuts long unique names so the pod name stays within 63 characters", () => {
    const name = jobPodName(projectUniqueName("abcdefghi", 123456789012, 10), "x7k2p9qz");
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.endsWith("-x7k2p9qz")).toBe(true);
  });

  it("sanitizes label values like the runner", () => {
    expect(sanitizeLabel("acme/backend")).toBe("acme_backend");
    expect(sanitizeLabel("-x-")).toBe("x");
    expect(sanitizeLabel("a".repeat(70))).toHaveLength(63);
  });

  it("takes the lowest free concurrent slot", () => {
    expect(freeProjectSlot([])).toBe(0);
    expect(freeProjectSlot([0, 1, 3])).toBe(2);
  });

  it("expands $VAR and ${VAR}, unknown to empty", () => {
    expect(expandVariables("p-$CI_PIPELINE_ID/${CI_JOB_ID}/$NOPE", { CI_PIPELINE_ID: "7", CI_JOB_ID: "9" })).toBe(
      "p-7/9/",
    );
  });
});
