import { describe, expect, it } from "vitest";
import { firstRunChecklist, firstRunDone, mayDoStep } from "./first-run";

const steps = (facts: Parameters<typeof firstRunChecklist>[0]) =>
  Object.fromEntries(firstRunChecklist(facts).map((i) => [i.step, { done: i.done, ready: i.ready, href: i.href }]));

describe("first-run checklist", () => {
  it("a fresh install: only connecting a cluster can be done yet", () => {
    expect(steps({ connections: 0, appliedProfiles: 0, recordedJobs: 0 })).toEqual({
      connect: { done: false, ready: true, href: "/clusters/new" },
      runner: { done: false, ready: false, href: "/setup/new" },
      watch: { done: false, ready: false, href: "/monitor" },
      costs: { done: false, ready: false, href: "/cost/cluster" },
    });
  });

  it("a connected cluster whose runner already runs jobs (the demo): create a runner is what is left", () => {
    const items = firstRunChecklist({ connections: 1, appliedProfiles: 0, recordedJobs: 12 });
    expect(items.filter((i) => !i.done).map((i) => i.step)).toEqual(["runner"]);
    expect(items.find((i) => i.step === "connect")?.href).toBe("/clusters");
    expect(firstRunDone(items)).toBe(false);
  });

  it("is done when every step is", () => {
    expect(firstRunDone(firstRunChecklist({ connections: 2, appliedProfiles: 1, recordedJobs: 3 }))).toBe(true);
  });
});

describe("who may do a step", () => {
  const [connect, runner, watch] = firstRunChecklist({ connections: 0, appliedProfiles: 0, recordedJobs: 0 });
  it("connecting a cluster is an admin's, creating a runner an operator's, watching anyone's", () => {
    expect(mayDoStep(connect, "operator")).toBe(false);
    expect(mayDoStep(connect, "admin")).toBe(true);
    expect(mayDoStep(runner, "viewer")).toBe(false);
    expect(mayDoStep(runner, "operator")).toBe(true);
    expect(mayDoStep(watch, "viewer")).toBe(true);
  });
});
