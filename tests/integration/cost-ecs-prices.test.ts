import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emptyDatabase, useFreshDatabase } from "@/tests/test-db";

let store: typeof import("@/lib/cost/ecs-prices.server");
let db: typeof import("@/lib/db.server").db;

beforeAll(async () => {
  useFreshDatabase();
  store = await import("@/lib/cost/ecs-prices.server");
  db = (await import("@/lib/db.server")).db;
});

beforeEach(() => emptyDatabase(db));

describe("ECS prices", () => {
  it("adds, edits and deletes", async () => {
    const added = await store.saveEcsPrice({
      name: "ecs.t6-c1m2.large",
      currency: "CNY",
      monthlyPrice: "139",
      vcpu: "2",
      memoryGiB: "4",
    });
    expect(added).toMatchObject({ success: true, id: expect.any(String) });
    if (!added.success) throw new Error("unreachable: asserted above");
    expect(await store.listEcsPrices()).toMatchObject([
      { name: "ecs.t6-c1m2.large", region: "cn-hangzhou", currency: "CNY", monthlyPrice: "139", vcpu: 2, memoryGiB: 4 },
    ]);
    expect(
      await store.saveEcsPrice({ name: "ecs.t6-c1m2.large", currency: "CNY", monthlyPrice: 149.5, vcpu: "" }, added.id),
    ).toEqual({
      success: true,
      id: added.id,
    });
    expect((await store.listEcsPrices())[0]).toMatchObject({ monthlyPrice: "149.5", vcpu: null });
    expect(await store.deleteEcsPrice(added.id)).toBe(true);
    expect(await store.deleteEcsPrice(added.id)).toBe(false);
    expect(await store.listEcsPrices()).toEqual([]);
  });

  it("refuses a second price with the same name", async () => {
    expect(await store.saveEcsPrice({ name: "c6.large", currency: "CNY", monthlyPrice: "200" })).toMatchObject({
      success: true,
    });
    const again = await store.saveEcsPrice({ name: " c6.large ", currency: "CNY", monthlyPrice: "210" });
    expect(again).toMatchObject({ success: false, duplicate: true });
    expect((await store.listEcsPrices()).map((p) => p.monthlyPrice)).toEqual(["200"]);
  });

  it.each([
    [{ name: "", currency: "CNY", monthlyPrice: "1" }, "name"],
    [{ name: "x".repeat(65), currency: "CNY", monthlyPrice: "1" }, "name"],
    [{ name: "a", currency: "EUR", monthlyPrice: "1" }, "currency"],
    [{ name: "a", currency: "CNY", monthlyPrice: "-5" }, "monthlyPrice"],
    [{ name: "a", currency: "CNY", monthlyPrice: "0" }, "monthlyPrice"],
    [{ name: "a", currency: "CNY", monthlyPrice: "abc" }, "monthlyPrice"],
    [{ name: "a", currency: "CNY", monthlyPrice: "1e99" }, "monthlyPrice"],
    [{ name: "a", currency: "CNY", monthlyPrice: "1", vcpu: "1.5" }, "vcpu"],
    [{ name: "a", currency: "CNY", monthlyPrice: "1", memoryGiB: "-2" }, "memoryGiB"],
    [{ name: "a", region: "Hangzhou", currency: "CNY", monthlyPrice: "1" }, "region"],
  ])("rejects %j with a message on %s", async (input, field) => {
    const result = await store.saveEcsPrice(input);
    expect(result).toMatchObject({ success: false, fieldErrors: { [field]: expect.anything() } });
    expect(await store.listEcsPrices()).toEqual([]);
  });

  it("edits and deletes only the price named, leaving the others as they were", async () => {
    const names = ["ecs.c7.large", "ecs.g7.large", "ecs.r7.large"];
    const ids: string[] = [];
    for (const name of names) {
      const saved = await store.saveEcsPrice({ name, currency: "CNY", monthlyPrice: "100" });
      if (!saved.success) throw new Error(`could not add ${name}`);
      ids.push(saved.id);
    }
    expect(await store.saveEcsPrice({ name: "ecs.g7.large", currency: "CNY", monthlyPrice: "120" }, ids[1])).toEqual({
      success: true,
      id: ids[1],
    });
    expect((await store.listEcsPrices()).map((p) => [p.name, p.monthlyPrice])).toEqual([
      ["ecs.c7.large", "100"],
      ["ecs.g7.large", "120"],
      ["ecs.r7.large", "100"],
    ]);
    expect(await store.deleteEcsPrice(ids[1])).toBe(true);
    expect((await store.listEcsPrices()).map((p) => p.name)).toEqual(["ecs.c7.large", "ecs.r7.large"]);
  });

  it("lists prices by currency, then by name, whatever order they were added in", async () => {
    for (const [name, currency] of [
      ["z-last", "CNY"],
      ["a-first-usd", "USD"],
      ["m-middle", "CNY"],
      ["b-usd", "USD"],
    ])
      await store.saveEcsPrice({ name, currency, monthlyPrice: "10" });
    expect((await store.listEcsPrices()).map((p) => `${p.currency} ${p.name}`)).toEqual([
      "CNY m-middle",
      "CNY z-last",
      "USD a-first-usd",
      "USD b-usd",
    ]);
  });

  it("finds a price's id and name (the delete action's audit entry names it), and nothing for an unknown id", async () => {
    const saved = await store.saveEcsPrice({ name: "ecs.u1.large", currency: "USD", monthlyPrice: "30" });
    if (!saved.success) throw new Error("could not add the price");
    expect(await store.findEcsPrice(saved.id)).toEqual({ id: saved.id, name: "ecs.u1.large" });
    expect(await store.findEcsPrice("no-such-id")).toBeNull();
  });

  it.each([
    ["139.99", "139.99"],
    [".75", "0.75"],
    ["12.", "12"],
    [" 139 ", "139"],
    ["0010.50", "10.5"],
  ])("accepts the monthly price %j and stores it as %s", async (typed, stored) => {
    expect(await store.saveEcsPrice({ name: "typed", currency: "CNY", monthlyPrice: typed })).toMatchObject({
      success: true,
    });
    expect((await store.listEcsPrices()).map((p) => p.monthlyPrice)).toEqual([stored]);
  });

  it.each(["12abc", "1,5", ".", "1.2.3", "12 34", ".5x"])(
    "refuses the monthly price %j as a field error, not an exception",
    async (typed) => {
      const result = await store.saveEcsPrice({ name: "typed", currency: "CNY", monthlyPrice: typed });
      expect(result).toMatchObject({ success: false, fieldErrors: { monthlyPrice: expect.any(String) } });
      expect(await store.listEcsPrices()).toEqual([]);
    },
  );

  it("reports an edit of a deleted price", async () => {
    expect(await store.saveEcsPrice({ name: "gone", currency: "USD", monthlyPrice: "10" }, "no-such-id")).toMatchObject(
      { success: false, notFound: true },
    );
  });
});
