import { describe, expect, it } from "vitest";
import { parseCostQuery } from "@/lib/cost/validation";
import { costFormSearchParams, costFormValues } from "./calculator-form-values";

function valuesFor(raw: Record<string, string>) {
  return costFormValues(raw, parseCostQuery(raw));
}

describe("costFormValues", () => {
  it("fills missing fields with the defaults", () => {
    const values = valuesFor({ vcpu: "2" });
    expect(values).toMatchObject({
      vcpu: "2",
      mem: "2",
      minutes: "10",
      ecs: "139",
      days: "30",
      site: "cn",
      runner: "",
      economy: "",
    });
  });

  it("keeps bad values so the user sees what to fix", () => {
    expect(valuesFor({ minutes: "-3", jobs: "lots" })).toMatchObject({ minutes: "-3", jobs: "lots" });
  });

  it("shows the runner and economy flags in canonical form", () => {
    expect(valuesFor({ runner: "on", economy: "true" })).toMatchObject({ runner: "0.25-0.5Gi", economy: "1" });
    expect(valuesFor({ runner: "0.5-1Gi" }).runner).toBe("0.5-1Gi");
  });

  it("round-trips through the query string", () => {
    const values = valuesFor({ vcpu: "1", mem: "2", minutes: "7.5", runner: "1", nas: "12" });
    const again = valuesFor(Object.fromEntries(costFormSearchParams(values)));
    expect(again).toEqual(values);
    const parsed = parseCostQuery(costFormSearchParams(values));
    expect(parsed.success && parsed.data).toMatchObject({
      minutes: 7.5,
      nas: 12,
      runner: { vcpu: 0.25, memoryGiB: 0.5 },
    });
  });

  it("leaves empty optional fields out of the query", () => {
    const params = costFormSearchParams(valuesFor({}));
    expect(params.has("spot")).toBe(false);
    expect(params.has("runner")).toBe(false);
    expect(params.get("vcpu")).toBe("1");
  });
});
