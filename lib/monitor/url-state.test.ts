import { describe, expect, it } from "vitest";
import {
  DEFAULT_VIEW,
  monitorHref,
  searchParamsWithView,
  viewFromSearchParams,
  type MonitorViewState,
} from "./url-state";

const view = (patch: Partial<MonitorViewState["filters"]>, sort = DEFAULT_VIEW.sort, tab = DEFAULT_VIEW.tab) => ({
  tab,
  filters: { ...DEFAULT_VIEW.filters, ...patch },
  sort,
});

describe("monitor view in the URL", () => {
  it("the default view writes nothing, and keeps the cluster and namespace", () => {
    const params = searchParamsWithView(new URLSearchParams("cluster=demo&namespace=ci"), DEFAULT_VIEW);
    expect(params.toString()).toBe("cluster=demo&namespace=ci");
    expect(viewFromSearchParams(params)).toEqual(DEFAULT_VIEW);
  });

  it.each<[string, MonitorViewState]>([
    ["a phase", view({ phase: "Running" })],
    ["stuck pods", view({ phase: "stuck" })],
    ["project, runner and text", view({ project: "group/app", runner: "eci-runner", text: "deploy & test" })],
    ["cost, most expensive first", view({}, { key: "cost", descending: true })],
    ["name, ascending", view({}, { key: "name", descending: false })],
    ["age, oldest first", view({}, { key: "age", descending: true })],
    ["the History tab", view({}, DEFAULT_VIEW.sort, "history")],
  ])("%s survives a round trip through the URL", (_, state) => {
    const params = searchParamsWithView(new URLSearchParams("cluster=demo"), state);
    expect(viewFromSearchParams(new URLSearchParams(params.toString()))).toEqual(state);
    expect(params.get("cluster")).toBe("demo");
  });

  it("reads a hand-written link", () => {
    expect(viewFromSearchParams(new URLSearchParams("phase=Failed&sort=cost&order=desc&q=mvn"))).toEqual(
      view({ phase: "Failed", text: "mvn" }, { key: "cost", descending: true }),
    );
  });

  it("ignores what it does not know instead of failing", () => {
    expect(
      viewFromSearchParams(new URLSearchParams(`phase=Exploded&sort=price&order=sideways&tab=x&q=${"a".repeat(500)}`)),
    ).toEqual(view({ text: "a".repeat(200) }));
  });
});

describe("monitorHref", () => {
  it("links a cluster, a namespace and a runner's jobs, encoded", () => {
    expect(monitorHref({ cluster: "ask prod", namespace: "ci", runner: "eci runner" })).toBe(
      "/monitor?cluster=ask+prod&namespace=ci&runner=eci+runner",
    );
    expect(monitorHref({ cluster: "demo", namespace: "*" })).toBe("/monitor?cluster=demo&namespace=*");
    expect(monitorHref({ cluster: "demo" })).toBe("/monitor?cluster=demo");
    const params = new URL(monitorHref({ cluster: "d", runner: "r" }), "http://x").searchParams;
    expect(viewFromSearchParams(params).filters.runner).toBe("r");
  });
});
