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

  it("a region's own override wins over the site-wide one, whichever way their names sort", async () => {
    const save = (region: string | undefined, vcpuPerSecond: string) =>
      store.savePriceBook({ site: "cn", region, currency: "CNY", vcpuPerSecond, memoryGiBPerSecond: "0.000007" });
    await save(undefined, "0.00005");
    // One region id sorts before "default", one after it.
    await save("ap-southeast-1", "0.00006");
    await save("us-west-1", "0.00007");
    for (const [region, perSecond, origin] of [
      ["ap-southeast-1", "0.00006", "ap-southeast-1"],
      ["us-west-1", "0.00007", "us-west-1"],
      ["cn-hangzhou", "0.00005", "default"],
      ["default", "0.00005", "default"],
    ]) {
      const { book } = await store.loadPriceBookWithOrigin("cn", region);
      expect([region, book.prices["eci.vcpu"].perSecond, book.region]).toEqual([region, perSecond, origin]);
    }
  });

  it("never prices a site with the other site's override", async () => {
    await store.savePriceBook({
      site: "intl",
      currency: "USD",
      vcpuPerSecond: "0.00001",
      memoryGiBPerSecond: "0.000002",
    });
    expect(await store.loadPriceBookWithOrigin("cn")).toEqual({ book: DEFAULT_PRICE_BOOKS.cn, origin: "default" });
    expect(await store.loadPriceBook("cn", "cn-hangzhou")).toEqual(DEFAULT_PRICE_BOOKS.cn);
    expect((await store.loadPriceBook("intl", "us-west-1")).prices["eci.vcpu"].perSecond).toBe("0.00001");
  });

  it("the calculator's book of a site and region group takes the site-wide override's ECI lines", async () => {
    expect(await store.loadSitePriceBook("cn", "overseas")).toEqual(defaultPriceBook("cn", "overseas"));
    await store.savePriceBook({
      site: "cn",
      currency: "CNY",
      vcpuPerSecond: "0.00005",
      memoryGiBPerSecond: "0.000007",
      acsPrices: { "acs.general-purpose.default.vcpu": "0.000015" },
      source: "contract",
    });
    const mainland = await store.loadSitePriceBook("cn", "mainland");
    expect(mainland.prices["eci.vcpu"]).toMatchObject({ perSecond: "0.00005", source: "contract" });
    expect(mainland.prices["acs.general-purpose.default.vcpu"].perSecond).toBe("0.000015");
    const overseas = await store.loadSitePriceBook("cn", "overseas");
    expect(overseas.prices["eci.vcpu"].perSecond).toBe("0.00005");
    // The override's ACS lines were entered for the mainland.
    expect(overseas.prices["acs.general-purpose.default.vcpu"]).toEqual(
      defaultPriceBook("cn", "overseas").prices["acs.general-purpose.default.vcpu"],
    );
  });

  it("lists the overrides by site, then by region", async () => {
    for (const [site, region] of [
      ["intl", "ap-northeast-1"],
      ["cn", "us-west-1"],
      ["intl", "default"],
      ["cn", "cn-beijing"],
      ["cn", "default"],
    ] as const) {
      await store.savePriceBook({
        site,
        region,
        currency: site === "cn" ? "CNY" : "USD",
        vcpuPerSecond: "0.00005",
        memoryGiBPerSecond: "0.000007",
      });
    }
    expect((await store.listPriceBookOverrides()).map((b) => `${b.site}/${b.region}`)).toEqual([
      "cn/cn-beijing",
      "cn/default",
      "cn/us-west-1",
      "intl/ap-northeast-1",
      "intl/default",
    ]);
  });

  it("ignores stored rows that do not fit their site (an edited database) and unreadable ACS lines", async () => {
    const row = { vcpuPerSecond: "0.00005", memoryGiBPerSecond: "0.000007" };
    await db.priceBook.createMany({
      data: [
        { ...row, site: "mars", region: "default", currency: "CNY" },
        { ...row, site: "cn", region: "default", currency: "USD" },
        { ...row, site: "intl", region: "default", currency: "EUR" },
        { ...row, site: "cn", region: "cn-beijing", currency: "CNY", acsPrices: "{not json" },
      ],
    });
    expect((await store.listPriceBookOverrides()).map((b) => `${b.site}/${b.region}`)).toEqual(["cn/cn-beijing"]);
    expect(await store.loadPriceBookWithOrigin("cn")).toEqual({ book: DEFAULT_PRICE_BOOKS.cn, origin: "default" });
    expect(await store.loadPriceBookWithOrigin("intl")).toEqual({ book: DEFAULT_PRICE_BOOKS.intl, origin: "default" });
    const beijing = await store.loadPriceBookWithOrigin("cn", "cn-beijing");
    expect(beijing.origin).toBe("database");
    expect(beijing.book.prices["eci.vcpu"].perSecond).toBe("0.00005");
    expect(beijing.book.prices["acs.general-purpose.default.vcpu"]).toEqual(
      DEFAULT_PRICE_BOOKS.cn.prices["acs.general-purpose.default.vcpu"],
    );
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

describe("a connection's pricing", () => {
  it("follows the connection's site, region and default backend, with that region's book", async () => {
    const { loadConnectionPricing } = await import("@/lib/cost/connection-pricing.server");
    await store.savePriceBook({
      site: "intl",
      region: "ap-southeast-1",
      currency: "USD",
      vcpuPerSecond: "0.00001",
      memoryGiBPerSecond: "0.000002",
    });
    const connection = await db.connection.create({
      data: {
        name: "singapore",
        server: "https://example.test",
        authType: "token",
        credentials: "{}",
        priceSite: "intl",
        priceRegion: "ap-southeast-1",
        defaultBackend: "acs",
      },
    });
    const pricing = await loadConnectionPricing(connection.id);
    expect(pricing).toMatchObject({ site: "intl", region: "ap-southeast-1", defaultBackend: "acs" });
    expect(pricing.book).toMatchObject({ currency: "USD", region: "ap-southeast-1", regionGroup: "overseas" });
    expect(pricing.book.prices["eci.vcpu"].perSecond).toBe("0.00001");
    // A connection that is gone is priced with the defaults.
    expect(await loadConnectionPricing("no-such-connection")).toEqual({
      site: "cn",
      region: "default",
      defaultBackend: "eci",
      book: DEFAULT_PRICE_BOOKS.cn,
    });
  });
});
