import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS, priceBookSchema } from "@/lib/cost/prices";

describe("DEFAULT_PRICE_BOOKS", () => {
  it("quotes the documented unit prices with source and date", () => {
    expect(DEFAULT_PRICE_BOOKS.cn).toMatchObject({
      currency: "CNY",
      vcpuPerSecond: "0.000049",
      memoryGiBPerSecond: "0.00000613",
    });
    expect(DEFAULT_PRICE_BOOKS.cn.economyVcpuPerSecond).toBe("0.000027");
    expect(DEFAULT_PRICE_BOOKS.intl).toMatchObject({
      currency: "USD",
      vcpuPerSecond: "0.0000077",
      memoryGiBPerSecond: "0.00000096",
    });
    for (const book of Object.values(DEFAULT_PRICE_BOOKS)) {
      expect(book.source).toMatch(/^https:\/\//);
      expect(book.readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("are valid against the schema users' overrides go through", () => {
    for (const book of Object.values(DEFAULT_PRICE_BOOKS)) {
      expect(priceBookSchema.parse(book)).toEqual(book);
    }
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
      minimumCharge: null,
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
