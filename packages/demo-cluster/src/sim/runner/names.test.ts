import { describe, expect, it } from "vitest";
import {
  expandVariables,
  freeProjectSlot,
  jobPodName,
  makeRfc1123Compatible,
  projectUniqueName,
  sanitizeLabel,
} from "./names";

describe("GitLab Runner naming rules", () => {
  it.each([
    // short token as 17.11.4 computes it for glrt-t1_… tokens, then as 19.x does
    ["t1_Demo7x", 42, 0, "runner-t1demo7x-project-42-concurrent-0"],
    ["Demo7xK2p", 42, 0, "runner-demo7xk2p-project-42-concurrent-0"],
    ["AbCd_EfGh", 7, 3, "runner-abcdefgh-project-7-concurrent-3"],
    ["ab.cd-ef", 7, 1, "runner-abcd-ef-project-7-concurrent-1"],
  ])("ProjectUniqueName(%s, %i, %i) = %s", (short, project, slot, expected) => {
    expect(projectUniqueName(short, project, slot)).toBe(expected);
  });

  it("MakeRFC1123Compatible removes characters, strips only leading non-alphanumerics, keeps a trailing dash", () => {
    expect(makeRfc1123Compatible("__Ab_C.d--")).toBe("abcd--");
    expect(makeRfc1123Compatible("x".repeat(70))).toHaveLength(63);
  });

  it("cuts long unique names so the pod name stays within 63 characters", () => {
    const name = jobPodName(projectUniqueName("abcdefghi", 123456789012, 10), "x7k2p9qz");
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.endsWith("-x7k2p9qz")).toBe(true);
  });

  it("sanitizes label values like the runner, one _ per rune", () => {
    expect(sanitizeLabel("acme/backend")).toBe("acme_backend");
    expect(sanitizeLabel("-x-")).toBe("x");
    expect(sanitizeLabel("a".repeat(70))).toHaveLength(63);
    expect(sanitizeLabel("a😀b")).toBe("a_b");
    expect(sanitizeLabel("pay ments")).toBe("pay_ments");
  });

  it("takes the lowest free concurrent slot", () => {
    expect(freeProjectSlot([])).toBe(0);
    expect(freeProjectSlot([0, 1, 3])).toBe(2);
  });

  it.each([
    ["p-$CI_PIPELINE_ID/${CI_JOB_ID}/$NOPE", "p-7/9/"],
    ["cost $5", "cost "],
    ["trailing $", "trailing $"],
    ["a $/b", "a $/b"],
    ["bad ${ syntax", "bad  syntax"],
    ["empty ${}x", "empty x"],
    ["$CI_PIPELINE_ID-$CI_JOB_ID", "7-9"],
  ])("os.Expand(%s) = %s", (value, expected) => {
    expect(expandVariables(value, { CI_PIPELINE_ID: "7", CI_JOB_ID: "9" })).toBe(expected);
  });
});
