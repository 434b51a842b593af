import { describe, expect, it } from "vitest";
import type { AcsComputeClass, AcsQos } from "@ask-ci/billing/acs/labels";
import {
  acsPriceKey,
  DEFAULT_PRICE_BOOKS,
  defaultPriceBook,
  isRegionGroup,
  isSite,
  PRICE_KEYS,
  priceBookSchema,
  REGION_GROUPS,
  regionGroupOf,
  SITES,
  unitPriceField,
  type RegionGroup,
  type Site,
} from "@/lib/cost/prices";

describe("built-in price books", () => {
  it("quote the documented ECI unit prices, the same in both region groups", () => {
    for (const group of REGION_GROUPS) {
      const cn = defaultPriceBook("cn", group);
      expect(cn.currency).toBe("CNY");
      expect(cn.prices["eci.vcpu"].perSecond).toBe("0.000049");
      expect(cn.prices["eci.memory"].perSecond).toBe("0.00000613");
      expect(cn.prices["eci.economy-vcpu"].perSecond).toBe("0.000027");
      expect(cn.minimumCharge).toEqual({ eci: "0.01", acs: null });
      const intl = defaultPriceBook("intl", group);
      expect(intl.currency).toBe("USD");
      expect(intl.prices["eci.vcpu"].perSecond).toBe("0.0000077");
      expect(intl.prices["eci.memory"].perSecond).toBe("0.00000096");
      expect(intl.prices["eci.economy-vcpu"].perSecond).toBeNull();
      expect(intl.minimumCharge).toEqual({ eci: null, acs: null });
    }
    expect(DEFAULT_PRICE_BOOKS.cn).toBe(defaultPriceBook("cn", "mainland"));
  });

  // The ACS billing page's per-second prices, vCPU then GiB (shared/domain/acs-and-eci-pricing.md §1.2, §1.3).
  it.each<[Site, RegionGroup, AcsComputeClass, AcsQos, string | null, string | null]>([
    ["cn", "mainland", "general-purpose", "default", "0.0000167", "0.00000833"],
    ["cn", "mainland", "general-purpose", "best-effort", "0.0000033", "0.00000167"],
    ["cn", "mainland", "performance", "default", "0.0000217", "0.00001083"],
    ["cn", "mainland", "performance", "best-effort", "0.0000043", "0.00000216"],
    ["cn", "overseas", "general-purpose", "default", "0.0000246", "0.00001231"],
    ["cn", "overseas", "general-purpose", "best-effort", "0.0000049", "0.00000247"],
    // cut off in every copy of the page read: unknown, so null (priced only once the user enters it)
    ["cn", "overseas", "performance", "default", "0.0000342", null],
    ["cn", "overseas", "performance", "best-effort", null, null],
    ["intl", "mainland", "general-purpose", "default", "0.0000026", "0.00000128"],
    ["intl", "mainland", "general-purpose", "best-effort", "0.00000052", "0.00000025"],
    ["intl", "mainland", "performance", "default", "0.0000034", "0.00000167"],
    ["intl", "mainland", "performance", "best-effort", "0.00000068", "0.000000334"],
    ["intl", "overseas", "general-purpose", "default", "0.00000381", "0.00000192"],
    ["intl", "overseas", "general-purpose", "best-effort", "0.00000076", "0.00000038"],
    ["intl", "overseas", "performance", "default", "0.00000496", "0.00000248"],
    ["intl", "overseas", "performance", "best-effort", "0.000000992", "0.000000496"],
  ])("ACS %s %s %s %s: vCPU %s, GiB %s per second", (site, group, computeClass, qos, vcpu, memory) => {
    const book = defaultPriceBook(site, group);
    expect(book.prices[acsPriceKey(computeClass, qos, "vcpu")].perSecond).toBe(vcpu);
    expect(book.prices[acsPriceKey(computeClass, qos, "memory")].perSecond).toBe(memory);
  });

  it("give every price a source and a date", () => {
    for (const site of SITES) {
      for (const group of REGION_GROUPS) {
        const book = defaultPriceBook(site, group);
        expect(Object.keys(book.prices).sort()).toEqual([...PRICE_KEYS].sort());
        for (const line of Object.values(book.prices)) {
          expect(line.source).toMatch(/^https:\/\/(help\.aliyun\.com|www\.alibabacloud\.com)\//);
          expect(line.readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        }
      }
    }
  });

  it("best-effort is about a fifth of default on every published row", () => {
    for (const site of SITES) {
      for (const group of REGION_GROUPS) {
        const book = defaultPriceBook(site, group);
        for (const resource of ["vcpu", "memory"] as const) {
          const standard = book.prices[acsPriceKey("general-purpose", "default", resource)].perSecond!;
          const cheap = book.prices[acsPriceKey("general-purpose", "best-effort", resource)].perSecond!;
          expect(Number(cheap) / Number(standard)).toBeGreaterThan(0.18);
          expect(Number(cheap) / Number(standard)).toBeLessThan(0.21);
        }
      }
    }
  });

  it("maps regions to their group", () => {
    expect(regionGroupOf("cn-hangzhou")).toBe("mainland");
    expect(regionGroupOf("cn-beijing")).toBe("mainland");
    expect(regionGroupOf("cn-hongkong")).toBe("overseas");
    expect(regionGroupOf("ap-southeast-1")).toBe("overseas");
  });
});

describe("priceBookSchema", () => {
  const base = { site: "cn", currency: "CNY", vcpuPerSecond: "0.000049", memoryGiBPerSecond: "0.00000613" };

  it("normalises numbers to decimal strings and fills defaults", () => {
    const parsed = priceBookSchema.parse({ ...base, vcpuPerSecond: 0.00005, region: "cn-hangzhou" });
    expect(parsed).toMatchObject({
      vcpuPerSecond: "0.00005",
      region: "cn-hangzhou",
      economyVcpuPerSecond: null,
    });
  });

  it.each([
    [{ vcpuPerSecond: "abc" }, "vcpuPerSecond", /vCPU price must be a positive decimal/],
    [{ vcpuPerSecond: "-0.1" }, "vcpuPerSecond", /positive decimal/],
    [{ memoryGiBPerSecond: "0" }, "memoryGiBPerSecond", /more than 0/],
    [{ memoryGiBPerSecond: "5" }, "memoryGiBPerSecond", /at most 1/],
    [{ currency: "USD" }, "currency", /CNY/],
    [{ site: "eu" }, "site", /cn \(China\)/],
    [{ region: "Hangzhou!" }, "region", /cn-hangzhou/],
    [{ readOn: "yesterday" }, "readOn", /YYYY-MM-DD/],
  ])("rejects %j on %s", (override, field, message) => {
    const result = priceBookSchema.safeParse({ ...base, ...override });
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toMatch(message);
  });
});

describe("unitPriceField: a unit price as a user types it", () => {
  const field = unitPriceField("vCPU per second");
  it.each<[string | number, string]>([
    [" 0.000049 ", "0.000049"],
    ["4.9e-5", "0.000049"],
    ["4.9E-5", "0.000049"],
    ["49e-6", "0.000049"],
    [".5", "0.5"],
    ["1.", "1"],
    ["1", "1"],
    [0.000049, "0.000049"],
  ])("takes %j as %s", (input, normalised) => {
    expect(field.safeParse(input)).toEqual({ success: true, data: normalised });
  });

  it.each([
    "0.00005abc",
    "x0.00005",
    "",
    " ",
    "-0.1",
    "+0.1",
    "1e",
    "1e+",
    "0x1",
    "NaN",
    "Infinity",
    "1,5",
    "0",
    "0e5",
    "1.0001",
    "2",
  ])("refuses %j with the field's own message, never a crash", (input) => {
    const result = field.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^vCPU per second must be /);
  });
});

describe("site and region group names", () => {
  it("knows exactly the sites and region groups there are", () => {
    expect(SITES.every(isSite)).toBe(true);
    expect(REGION_GROUPS.every(isRegionGroup)).toBe(true);
    for (const value of ["", "CN", "china", "mainland", null, 1]) expect(isSite(value)).toBe(false);
    for (const value of ["", "cn", "Mainland", "overseas ", null]) expect(isRegionGroup(value)).toBe(false);
  });
});
