import { describe, expect, it } from "vitest";
import { alertRulesFormSchema, budgetInputSchema, channelInputSchema, urlHint } from "./input";

describe("budgetInputSchema", () => {
  const valid = { connectionId: "c1", projectPath: "", period: "day", amount: "50" };
  it.each([
    [{}, true],
    [{ amount: "12.5" }, true],
    [{ amount: "0.000001" }, true],
    [{ projectPath: "group/sub/app" }, true],
    [{ period: "month" }, true],
    [{ amount: "0" }, false],
    [{ amount: "-5" }, false],
    [{ amount: "1e9" }, false],
    [{ amount: "1.0000001" }, false],
    [{ amount: "1234567890" }, false],
    [{ period: "week" }, false],
    [{ projectPath: "../x y" }, false],
    [{ connectionId: "" }, false],
  ])("%j valid: %s", (change, ok) => {
    expect(budgetInputSchema.safeParse({ ...valid, ...change }).success).toBe(ok);
  });
});

describe("channelInputSchema", () => {
  const valid = { name: "ops", format: "json", url: "https://hooks.example.com/x", secret: "" };
  it.each([
    [{}, true],
    [{ format: "dingtalk", url: "https://oapi.dingtalk.com/robot/send?access_token=t", secret: "SEC1" }, true],
    [{ format: "feishu", secret: "s" }, true],
    [{ url: "http://127.0.0.1:9000/hook" }, true],
    [{ format: "slack", secret: "s" }, false],
    [{ url: "ftp://x" }, false],
    [{ url: "javascript:alert(1)" }, false],
    [{ url: "https://user:pw@hooks.example.com" }, false],
    [{ format: "teams" }, false],
    [{ name: "" }, false],
  ])("%j valid: %s", (change, ok) => {
    expect(channelInputSchema.safeParse({ ...valid, ...change }).success).toBe(ok);
  });
});

describe("alertRulesFormSchema", () => {
  it("reads checkboxes and minutes", () => {
    expect(
      alertRulesFormSchema.parse({ budgets: "on", stuckMinutes: "20", runnersDown: "on", runnerDownMinutes: "3" }),
    ).toEqual({ budgets: true, stuckPods: false, stuckMinutes: 20, runnersDown: true, runnerDownMinutes: 3 });
  });
  it.each(["0", "1441", "abc", ""])("refuses %j minutes", (minutes) => {
    expect(alertRulesFormSchema.safeParse({ stuckMinutes: minutes, runnerDownMinutes: "5" }).success).toBe(false);
  });
});

it("urlHint keeps scheme and host, never the path or query with the token", () => {
  expect(urlHint("https://oapi.dingtalk.com/robot/send?access_token=secret")).toBe("https://oapi.dingtalk.com/…");
});
