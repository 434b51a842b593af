import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS, defaultPriceBook } from "@/lib/cost/prices";
import { emptyDatabase, useFreshDatabase } from "@/tests/test-db";

let store: typeof import("@/lib/cost/price-book.server");
let db: typeof import("@/lib/db.server").db;

beforeAll(async () => {
  useFreshDatabase();
  store = await import("@/lib/cost/price-book.server");
  db = (await import("@/lib/db.server")).db;
});

beforeEach(() => emptyDatabase(db));

describe("price book store", () => {
  it("falls back to the built-in defaults", async () => {
    expect(await store.loadPriceBookWithOrigin("cn")).toEqual({ book: DEFAULT_PRICE_BOOKS.cn, origin: "default" });
    // Singapore is outside China: its ACS prices are the overseas ones.
    expect(await store.loadPriceBook("intl", "ap-southeast-1")).toEqual(defaultPriceBook("intl", "overseas"));
    expect(await store.loadPriceBook("cn", "cn-beijing")).toEqual(DEFAULT_PRICE_BOOKS.cn);
  });

  it("uses a site-wide override, then a region's own, and resets back", async () => {
    const saved = await store.savePriceBook({
      site: "cn",
      currency: "CNY",
      vcpuPerSecond: "0.00005",
      memoryGiBPerSecond: 0.000007,
      economyVcpuPerSecond: "0.00003",
      source: "contract",
    });
    expect(saved.success).toBe(true);
    const siteWide = await store.loadPriceBookWithOrigin("cn", "cn-beijing");
    expect(siteWide.origin).toBe("database");
    expect(siteWide.book.region).toBe("default");
    expect(siteWide.book.prices["eci.vcpu"]).toMatchObject({ perSecond: "0.00005", source: "contract" });
    expect(siteWide.book.prices["eci.memory"].perSecond).toBe("0.000007");
    // The minimum charge is the site's billing rule, and ACS lines not entered stay the published ones.
    expect(siteWide.book.minimumCharge).toEqual(DEFAULT_PRICE_BOOKS.cn.minimumCharge);
    expect(siteWide.book.prices["acs.general-purpose.default.vcpu"]).toEqual(
      DEFAULT_PRICE_BOOKS.cn.prices["acs.general-purpose.default.vcpu"],
    );
    expect(siteWide.book.prices["eci.vcpu"].readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    await store.savePriceBook({
      site: "cn",
      region: "cn-beijing",
      currency: "CNY",
      vcpuPerSecond: "0.00006",
      memoryGiBPerSecond: "0.000008",
    });
    expect((await store.loadPriceBook("cn", "cn-beijing")).prices["eci.vcpu"].perSecond).toBe("0.00006");
    expect((await store.loadPriceBook("cn", "cn-hangzhou")).prices["eci.vcpu"].perSecond).toBe("0.00005");
    expect((await store.listPriceBookOverrides()).map((b) => b.region)).toEqual(["cn-beijing", "default"]);

    await store.resetPriceBook("cn", "cn-beijing");
    expect((await store.loadPriceBook("cn", "cn-beijing")).prices["eci.vcpu"].perSecond).toBe("0.00005");
    await store.resetPriceBook("cn");
    expect(await store.loadPriceBookWithOrigin("cn")).toEqual({ book: DEFAULT_PRICE_BOOKS.cn, origin: "default" });
  });

  it("stores only the ACS lines that differ, each with the override's source, for its region group only", async () => {
    const published = DEFAULT_PRICE_BOOKS.cn.prices;
    await store.savePriceBook({
      site: "cn",
      currency: "CNY",
      vcpuPerSecond: published["eci.vcpu"].perSecond!,
      memoryGiBPerSecond: published["eci.memory"].perSecond!,
      acsPrices: {
        "acs.general-purpose.default.vcpu": "0.000015",
        // Typed as published: not an override, keeps the published source.
        "acs.general-purpose.default.memory": published["acs.general-purpose.default.memory"].perSecond!,
      },
      source: "ACS contract 2026",
    });
    const row = await db.priceBook.findFirst({ where: { site: "cn", region: "default" } });
    expect(JSON.parse(row!.acsPrices!)).toEqual({ "acs.general-purpose.default.vcpu": "0.000015" });
    const mainland = await store.loadPriceBook("cn", "cn-hangzhou");
    expect(mainland.prices["acs.general-purpose.default.vcpu"]).toMatchObject({
      perSecond: "0.000015",
      source: "ACS contract 2026",
    });
    expect(mainland.prices["acs.general-purpose.default.memory"]).toEqual(
      published["acs.general-purpose.default.memory"],
    );
    // Abroad, ACS has its own prices: the site-wide (mainland) ACS lines do not apply there.
    expect((await store.loadPriceBook("cn", "ap-southeast-1")).prices["acs.general-purpose.default.vcpu"]).toEqual(
      defaultPriceBook("cn", "overseas").prices["acs.general-purpose.default.vcpu"],
    );
    await store.savePriceBook({
      site: "cn",
      region: "ap-southeast-1",
      currency: "CNY",
      vcpuPerSecond: "0.00005",
      memoryGiBPerSecond: "0.000007",
      acsPrices: { "acs.performance.best-effort.vcpu": "0.000004" },
    });
    expect(
      (await store.loadPriceBook("cn", "ap-southeast-1")).prices["acs.performance.best-effort.vcpu"].perSecond,
    ).toBe("0.000004");
  });

  it("refuses an unknown ACS line or a bad ACS price", async () => {
    const base = {
      site: "cn" as const,
      currency: "CNY" as const,
      vcpuPerSecond: "0.00005",
      memoryGiBPerSecond: "0.000007",
    };
    expect((await store.savePriceBook({ ...base, acsPrices: { "acs.gpu.default.vcpu": "1" } as never })).success).toBe(
      false,
    );
    expect(
      (await store.savePriceBook({ ...base, acsPrices: { "acs.general-purpose.default.vcpu": "-1" } })).success,
    ).toBe(false);
    expect(await db.priceBook.count()).toBe(0);
  });

  it("saving again replaces the override", async () => {
    await store.savePriceBook({
      site: "intl",
      currency: "USD",
      vcpuPerSecond: "0.000008",
      memoryGiBPerSecond: "0.000001",
    });
    await store.savePriceBook({
      site: "intl",
      currency: "USD",
      vcpuPerSecond: "0.000009",
      memoryGiBPerSecond: "0.000001",
    });
    expect((await store.loadPriceBook("intl")).prices["eci.vcpu"].perSecond).toBe("0.000009");
    expect((await store.listPriceBookOverrides()).filter((b) => b.site === "intl")).toHaveLength(1);
  });

  it("refuses invalid prices without storing them", async () => {
    const before = await store.listPriceBookOverrides();
    for (const bad of [
      { site: "cn", currency: "USD", vcpuPerSecond: "0.00005", memoryGiBPerSecond: "0.000007" },
      { site: "cn", currency: "CNY", vcpuPerSecond: "-1", memoryGiBPerSecond: "0.000007" },
      { site: "cn", currency: "CNY", vcpuPerSecond: "abc", memoryGiBPerSecond: "0.000007" },
      { site: "mars", currency: "CNY", vcpuPerSecond: "0.00005", memoryGiBPerSecond: "0.000007" },
    ]) {
      const result = await store.savePriceBook(bad as never);
      expect(result.success).toBe(false);
    }
    expect(await store.listPriceBookOverrides()).toEqual(before);
  });
});
