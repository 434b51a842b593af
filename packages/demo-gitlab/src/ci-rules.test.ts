import { describe, expect, it } from "vitest";
import { applyRules, evaluateExpression, refFilterMatches } from "./ci-rules";

const vars = { CI_COMMIT_BRANCH: "main", CI_DEFAULT_BRANCH: "main", CI_PIPELINE_SOURCE: "push", EMPTY: "" };

describe("evaluateExpression (CI/CD variable expressions)", () => {
  it.each([
    ["$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", true],
    ['$CI_COMMIT_BRANCH == "main"', true],
    ["$CI_COMMIT_BRANCH != 'main'", false],
    ["$CI_COMMIT_TAG", false],
    ["$EMPTY", false],
    ["$CI_COMMIT_BRANCH", true],
    ["$CI_COMMIT_TAG == null", true],
    ["$CI_COMMIT_BRANCH =~ /^ma/", true],
    ["$CI_COMMIT_BRANCH !~ /^feature\\//", true],
    ['$CI_PIPELINE_SOURCE == "web" || $CI_PIPELINE_SOURCE == "push"', true],
    ['$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_TAG', false],
    ['($CI_PIPELINE_SOURCE == "api" || $CI_COMMIT_BRANCH) && $CI_DEFAULT_BRANCH == "main"', true],
    ["${CI_COMMIT_BRANCH} == 'main'", true],
  ])("%s → %s", (expression, expected) => {
    expect(evaluateExpression(expression, vars)).toBe(expected);
  });

  it("refuses what it cannot read instead of guessing", () => {
    expect(() => evaluateExpression("$A = 'x'", vars)).toThrow(/invalid expression syntax/);
    expect(() => evaluateExpression("($A == 'x'", vars)).toThrow(/invalid expression syntax/);
  });
});

describe("applyRules", () => {
  it("takes the first matching rule, and drops the job when none matches", () => {
    const rules = [
      { if: '$CI_PIPELINE_SOURCE == "schedule"', when: "never" as const },
      { if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", when: "manual" as const, allowFailure: false },
    ];
    expect(applyRules(rules, "on_success", vars)).toEqual({
      when: "manual",
      allowFailure: false,
      variables: undefined,
    });
    expect(applyRules(rules, "on_success", { ...vars, CI_COMMIT_BRANCH: "dev" })).toEqual({ when: "never" });
    expect(applyRules([{ when: "always" }], "on_success", vars).when).toBe("always");
  });
});

describe("refFilterMatches (only/except)", () => {
  it("matches names, keywords, regexes and sources", () => {
    expect(refFilterMatches({ refs: ["main"] }, "main", false, "push")).toBe(true);
    expect(refFilterMatches({ refs: ["branches"] }, "dev", false, "push")).toBe(true);
    expect(refFilterMatches({ refs: ["tags"] }, "dev", false, "push")).toBe(false);
    expect(refFilterMatches({ refs: ["/^release-/"] }, "release-1", false, "push")).toBe(true);
    expect(refFilterMatches({ refs: ["schedules"] }, "main", false, "schedule")).toBe(true);
    expect(refFilterMatches({ refs: ["api"] }, "main", false, "push")).toBe(false);
  });
});
