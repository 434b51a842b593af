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

  it("reports an edit of a deleted price", async () => {
    expect(await store.saveEcsPrice({ name: "gone", currency: "USD", monthlyPrice: "10" }, "no-such-id")).toMatchObject(
      { success: false, notFound: true },
    );
  });
});
