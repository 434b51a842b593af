import { describe, expect, it } from "vitest";
import { runnerDownConditions, runnerStateOf, type RunnerState } from "./runners-down";

const MIN = 60_000;
const now = Date.parse("2026-12-06T12:00:00Z");
const connection = { id: "c1", name: "demo" };
const runner = (overrides: Partial<RunnerState>): RunnerState => ({
  namespace: "gitlab-runner",
  name: "ci-runner",
  desired: 1,
  ready: 0,
  downSince: now - 10 * MIN,
  ...overrides,
});

describe("runnerDownConditions", () => {
  it.each([
    ["no ready pod for 10 min", runner({}), 1],
    ["no ready pod for 1 min (rolling out)", runner({ downSince: now - MIN }), 0],
    ["ready", runner({ ready: 1 }), 0],
    ["scaled to zero on purpose", runner({ desired: 0 }), 0],
    ["down since an unknown time", runner({ downSince: null }), 1],
  ])("%s: %i alert(s)", (_name, state, count) => {
    expect(runnerDownConditions(connection, [state], now, 5 * MIN)).toHaveLength(count);
  });

  it("is keyed by the Deployment", () => {
    const [condition] = runnerDownConditions(connection, [runner({})], now, 5 * MIN);
    expect(condition.key).toBe("runner-down:c1:gitlab-runner/ci-runner");
    expect(condition.scope).toBe("runners:c1");
  });
});

describe("runnerStateOf", () => {
  it("reads downSince from the Available condition's last transition to False", () => {
    const state = runnerStateOf({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "r", namespace: "ns", creationTimestamp: "2026-12-01T00:00:00Z" },
      spec: { replicas: 1, selector: {}, template: {} },
      status: {
        readyReplicas: 0,
        conditions: [{ type: "Available", status: "False", lastTransitionTime: "2026-12-06T11:50:00Z" } as never],
      },
    });
    expect(state).toEqual({
      namespace: "ns",
      name: "r",
      desired: 1,
      ready: 0,
      downSince: Date.parse("2026-12-06T11:50:00Z"),
    });
  });

  it("without conditions yet, counts from creation", () => {
    const state = runnerStateOf({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "r", namespace: "ns", creationTimestamp: "2026-12-06T11:59:00Z" },
      spec: { selector: {}, template: {} },
    });
    expect(state.downSince).toBe(Date.parse("2026-12-06T11:59:00Z"));
    expect(state.desired).toBe(1);
  });
});
