import { describe, expect, it } from "vitest";
import type { AlertCondition } from "./conditions";
import { planAlerts, type ActiveCondition } from "./dedupe";

function condition(key: string, scope = "pods:c1"): AlertCondition {
  return { key, scope, kind: "stuck-pod", title: key, message: "" };
}
const active = (key: string, scope = "pods:c1"): ActiveCondition => ({ key, scope });
const keys = (list: AlertCondition[]) => list.map((c) => c.key);

describe("planAlerts", () => {
  const cases: Array<{
    name: string;
    active: ActiveCondition[];
    observed: AlertCondition[];
    scopes: string[];
    fire: string[];
    ongoing: string[];
    clear: string[];
  }> = [
    { name: "nothing at all", active: [], observed: [], scopes: ["pods:c1"], fire: [], ongoing: [], clear: [] },
    {
      name: "a new condition fires",
      active: [],
      observed: [condition("a")],
      scopes: ["pods:c1"],
      fire: ["a"],
      ongoing: [],
      clear: [],
    },
    {
      name: "a condition already sent does not fire again",
      active: [active("a")],
      observed: [condition("a")],
      scopes: ["pods:c1"],
      fire: [],
      ongoing: ["a"],
      clear: [],
    },
    {
      name: "a condition no longer true in an evaluated scope clears",
      active: [active("a")],
      observed: [],
      scopes: ["pods:c1"],
      fire: [],
      ongoing: [],
      clear: ["a"],
    },
    {
      name: "a scope that was not evaluated (cluster away) clears nothing",
      active: [active("a")],
      observed: [],
      scopes: [],
      fire: [],
      ongoing: [],
      clear: [],
    },
    {
      name: "only the evaluated scope's conditions clear",
      active: [active("a", "pods:c1"), active("b", "pods:c2")],
      observed: [],
      scopes: ["pods:c2"],
      fire: [],
      ongoing: [],
      clear: ["b"],
    },
    {
      name: "duplicates in one round fire once",
      active: [],
      observed: [condition("a"), condition("a"), condition("b")],
      scopes: ["pods:c1"],
      fire: ["a", "b"],
      ongoing: [],
      clear: [],
    },
    {
      name: "new, ongoing and cleared together",
      active: [active("old"), active("still")],
      observed: [condition("still"), condition("new")],
      scopes: ["pods:c1"],
      fire: ["new"],
      ongoing: ["still"],
      clear: ["old"],
    },
    {
      name: "a condition in a scope not evaluated this round still fires when observed",
      active: [],
      observed: [condition("x", "budget")],
      scopes: [],
      fire: ["x"],
      ongoing: [],
      clear: [],
    },
  ];
  it.each(cases)("$name", ({ active: before, observed, scopes, fire, ongoing, clear }) => {
    const plan = planAlerts(before, observed, new Set(scopes));
    expect(keys(plan.fire)).toEqual(fire);
    expect(keys(plan.ongoing)).toEqual(ongoing);
    expect(plan.clear).toEqual(clear);
  });

  it("fires once over many rounds while the condition lasts, and again after it cleared", () => {
    let state: ActiveCondition[] = [];
    const rounds = [["a"], ["a"], ["a"], [], ["a"], ["a"]];
    const fired: string[][] = [];
    for (const round of rounds) {
      const plan = planAlerts(
        state,
        round.map((key) => condition(key)),
        new Set(["pods:c1"]),
      );
      fired.push(keys(plan.fire));
      state = [
        ...state.filter((c) => !plan.clear.includes(c.key)),
        ...plan.fire.map((c) => ({ key: c.key, scope: c.scope })),
      ];
    }
    expect(fired).toEqual([["a"], [], [], [], ["a"], []]);
  });
});
