import { describe, expect, it } from "vitest";
import { computeBreakEven } from "@/lib/cost/break-even";
import {
  breakEvenInputFromQuery,
  costQueryToSearchParams,
  parseCostQuery,
  type CostQueryField,
} from "@/lib/cost/validation";

function parse(query: string) {
  return parseCostQuery(new URLSearchParams(query));
}

function errorsOf(query: string) {
  const result = parse(query);
  if (result.success) throw new Error(`expected ${query} to be rejected`);
  return result.errors;
}

describe("parseCostQuery", () => {
  it("reads the seed's example link and reproduces 126 jobs/day", () => {
    const result = parse("vcpu=1&mem=2&minutes=10&ecs=139&jobs=80");
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data).toMatchObject({
      vcpu: 1,
      mem: 2,
      minutes: 10,
      ecs: 139,
      jobs: 80,
      days: 30,
      site: "cn",
      runner: null,
      economy: false,
      spot: null,
    });
    const { breakEven } = computeBreakEven(breakEvenInputFromQuery(result.data));
    expect(breakEven.kind === "crossing" && breakEven.eciCheaperUpTo).toBe(126);
  });

  it("fills every missing field with the seed's example", () => {
    const result = parse("");
    expect(result.success && result.data).toMatchObject({
      vcpu: 1,
      mem: 2,
      minutes: 10,
      ecs: 139,
      days: 30,
      nas: 0,
      imagecache: 0,
    });
  });

  it("accepts Next's searchParams object, taking the first of repeated keys", () => {
    const result = parseCostQuery({ vcpu: ["2", "8"], mem: "4", minutes: " 7.5 " });
    expect(result.success && result.data).toMatchObject({ vcpu: 2, mem: 4, minutes: 7.5 });
  });

  it.each([
    ["runner=1", { vcpu: 0.25, memoryGiB: 0.5 }],
    ["runner=on", { vcpu: 0.25, memoryGiB: 0.5 }],
    ["runner=0.5-1Gi", { vcpu: 0.5, memoryGiB: 1 }],
    ["runner=1-2", { vcpu: 1, memoryGiB: 2 }],
    ["runner=0", null],
    ["runner=off", null],
  ])("%s -> runner %j", (query, runner) => {
    const result = parse(query);
    expect(result.success && result.data.runner).toEqual(runner);
  });

  it("reads the options", () => {
    const result = parse("economy=1&spot=50&spotlimit=0.2&nas=20&imagecache=5&site=cn");
    expect(result.success && result.data).toMatchObject({
      economy: true,
      spot: 50,
      spotlimit: 0.2,
      nas: 20,
      imagecache: 5,
    });
    if (!result.success) return;
    expect(breakEvenInputFromQuery(result.data).pricing).toEqual({
      economy: true,
      spot: { discount: 0.5, priceLimitPerHour: 0.2 },
    });
  });

  it.each<[string, CostQueryField, RegExp]>([
    ["vcpu=-1", "vcpu", /vCPU cannot be negative/],
    ["vcpu=0", "vcpu", /vCPU must be more than 0/],
    ["vcpu=abc", "vcpu", /vCPU must be a number/],
    ["vcpu=NaN", "vcpu", /must be a number/],
    ["vcpu=Infinity", "vcpu", /must be a number/],
    ["vcpu=1e400", "vcpu", /must be a number/],
    ["vcpu=0x10", "vcpu", /must be a number/],
    ["vcpu=25", "vcpu", /at most 24/],
    ["mem=0", "mem", /Memory must be more than 0 GiB/],
    ["mem=1000", "mem", /at most 192 GiB/],
    ["minutes=0", "minutes", /Job length must be more than 0 minutes/],
    ["minutes=-10", "minutes", /cannot be negative/],
    ["minutes=99999999999999999999", "minutes", /at most 1440 minutes/],
    ["jobs=-1", "jobs", /Jobs per day cannot be negative/],
    ["jobs=ten", "jobs", /must be a number/],
    ["jobs=10000000", "jobs", /at most 1000000/],
    ["ecs=0", "ecs", /ECS monthly price must be more than 0/],
    ["ecs=1e9", "ecs", /must be a number/],
    ["ecs=100000000", "ecs", /at most 10000000/],
    ["days=32", "days", /at most 31 days/],
    ["days=0", "days", /more than 0 days/],
    ["site=eu", "site", /cn \(China, CNY\) or intl/],
    ["runner=big", "runner", /spec like 0.5-1Gi/],
    ["runner=48-96Gi", "runner", /fit in 24 vCPU/],
    ["economy=maybe", "economy", /Economy must be on or off/],
    ["economy=1&site=intl", "economy", /only published for the China site/],
    ["spot=0", "spot", /Spot discount must be more than 0%/],
    ["spot=100", "spot", /at most 99%/],
    ["spotlimit=-1", "spotlimit", /cannot be negative/],
    ["nas=-5", "nas", /NAS monthly cost cannot be negative/],
    ["imagecache=lots", "imagecache", /ImageCache monthly cost must be a number/],
  ])("%s -> %s: %s", (query, field, message) => {
    expect(errorsOf(query)[field]).toMatch(message);
  });

  it("reports every bad field at once, one message each", () => {
    const errors = errorsOf("vcpu=-1&mem=x&minutes=0&jobs=1");
    expect(Object.keys(errors).sort()).toEqual(["mem", "minutes", "vcpu"]);
  });
});

describe("costQueryToSearchParams", () => {
  it("round-trips a parsed query", () => {
    const first = parse(
      "vcpu=0.5&mem=1&minutes=12&jobs=40&ecs=200&days=22&site=cn&runner=0.5-1Gi&economy=1&spot=40&nas=10",
    );
    if (!first.success) throw new Error("expected success");
    const link = costQueryToSearchParams(first.data);
    expect(link.get("runner")).toBe("0.5-1Gi");
    const second = parseCostQuery(link);
    expect(second).toEqual(first);
  });
});

describe("cost query edges", () => {
  const data = (query: string) => {
    const result = parse(query);
    if (!result.success) throw new Error(JSON.stringify(result.errors));
    return result.data;
  };

  it("reads the region group and ACS class in any case, and refuses others", () => {
    expect(data("region=Overseas&acsclass=PERFORMANCE")).toMatchObject({ region: "overseas", acsclass: "performance" });
    expect(data("")).toMatchObject({ region: "mainland", acsclass: "general-purpose" });
    expect(Object.keys(errorsOf("region=europe&acsclass=gpu")).sort()).toEqual(["acsclass", "region"]);
  });

  it("takes a value exactly at each limit", () => {
    expect(data("days=31&jobs=1000000&vcpu=24&mem=192")).toMatchObject({
      days: 31,
      jobs: 1_000_000,
      vcpu: 24,
      mem: 192,
    });
    expect(data("runner=24-192Gi").runner).toEqual({ vcpu: 24, memoryGiB: 192 });
  });

  it.each([
    ["runner=0-1Gi", /spec like 0.5-1Gi/],
    ["runner=1-0Gi", /spec like 0.5-1Gi/],
    ["runner=24.5-1Gi", /fit in 24 vCPU/],
    ["runner=1-193Gi", /fit in 24 vCPU/],
  ])("refuses the runner %s", (query, message) => {
    expect(errorsOf(query).runner).toMatch(message);
  });

  it("reads a missing (null) value, or input that is not an object, as not given", () => {
    expect(parseCostQuery({ vcpu: null, mem: undefined })).toEqual(parse(""));
    expect(parseCostQuery({ vcpu: [null as unknown as string] })).toEqual(parse(""));
  });

  it("answers in the reader's language", () => {
    const zh = parseCostQuery(new URLSearchParams("vcpu=abc"), "zh-CN");
    const en = parseCostQuery(new URLSearchParams("vcpu=abc"), "en");
    expect(zh).toMatchObject({ success: false });
    expect(en).toMatchObject({ success: false });
    if (zh.success || en.success) throw new Error("expected errors");
    expect(zh.errors.vcpu).not.toBe(en.errors.vcpu);
    expect(parseCostQuery(new URLSearchParams("vcpu=abc"), "zh-CN")).toEqual(zh);
  });

  it("prices spot from a discount alone or a price limit alone", () => {
    expect(breakEvenInputFromQuery(data("spot=30")).pricing).toEqual({ economy: false, spot: { discount: 0.3 } });
    expect(breakEvenInputFromQuery(data("spotlimit=0.2")).pricing).toEqual({
      economy: false,
      spot: { priceLimitPerHour: 0.2 },
    });
    expect(breakEvenInputFromQuery(data("")).pricing).toStrictEqual({ economy: false });
  });

  it("leaves defaults and options that are off out of a link, and writes every other option", () => {
    expect([...costQueryToSearchParams(data("")).keys()]).toEqual([
      "vcpu",
      "mem",
      "minutes",
      "jobs",
      "ecs",
      "days",
      "site",
    ]);
    const full = data(
      "region=overseas&acsclass=performance&runner=1&economy=1&spot=20&spotlimit=0.3&nas=5&imagecache=2",
    );
    const link = costQueryToSearchParams(full);
    expect(Object.fromEntries(link)).toMatchObject({
      region: "overseas",
      acsclass: "performance",
      runner: "0.25-0.5Gi",
      economy: "1",
      spot: "20",
      spotlimit: "0.3",
      nas: "5",
      imagecache: "2",
    });
    expect(parseCostQuery(link)).toEqual({ success: true, data: full });
  });
});
