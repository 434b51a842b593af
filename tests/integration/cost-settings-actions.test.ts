import { beforeAll, describe, expect, it, vi } from "vitest";
import { cookieJar as jar } from "@/tests/mock-next-headers";
import { useFreshDatabase } from "@/tests/test-db";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

let actions: typeof import("@/app/(dashboard)/settings/actions");
let db: typeof import("@/lib/db.server").db;
let session: typeof import("@/lib/auth/session.server");

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

const VALID_BOOK = { site: "cn", region: "default", vcpuPerSecond: "0.00004", memoryGiBPerSecond: "0.000005" };

beforeAll(async () => {
  useFreshDatabase();
  actions = await import("@/app/(dashboard)/settings/actions");
  db = (await import("@/lib/db.server")).db;
  session = await import("@/lib/auth/session.server");
});

describe("settings actions without a session", () => {
  it("redirect to the login page and store nothing", async () => {
    jar.clear();
    await expect(actions.savePriceBookAction({}, form(VALID_BOOK))).rejects.toMatchObject({
      digest: expect.stringContaining("NEXT_REDIRECT"),
    });
    await expect(actions.resetPriceBookAction(form({ site: "cn", region: "default" }))).rejects.toMatchObject({
      digest: expect.stringContaining("NEXT_REDIRECT"),
    });
    await expect(
      actions.saveEcsPriceAction({}, form({ name: "x", currency: "CNY", monthlyPrice: "1" })),
    ).rejects.toMatchObject({
      digest: expect.stringContaining("NEXT_REDIRECT"),
    });
    await expect(actions.deleteEcsPriceAction(form({ id: "x" }))).rejects.toMatchObject({
      digest: expect.stringContaining("NEXT_REDIRECT"),
    });
    expect(await db.priceBook.count()).toBe(0);
    expect(await db.ecsPrice.count()).toBe(0);
  });
});

describe("settings actions with a session", () => {
  beforeAll(async () => {
    const user = await db.user.create({ data: { username: "admin", subject: "admin", passwordHash: "x" } });
    await session.startSession(user.id);
  });

  it("save a price book, report bad fields with what was typed, and reset", async () => {
    expect(await actions.savePriceBookAction({}, form(VALID_BOOK))).toEqual({ ok: true });
    expect(await db.priceBook.findFirst({ where: { site: "cn" } })).toMatchObject({
      currency: "CNY",
      vcpuPerSecond: "0.00004",
    });

    const bad = await actions.savePriceBookAction({}, form({ ...VALID_BOOK, vcpuPerSecond: "-1", region: "Nowhere" }));
    expect(bad.fieldErrors).toEqual({ vcpuPerSecond: true, region: true });
    expect(bad.values).toMatchObject({ vcpuPerSecond: "-1", region: "Nowhere" });
    expect(await actions.savePriceBookAction({}, form({ ...VALID_BOOK, site: "mars" }))).toEqual({
      fieldErrors: { site: true },
    });

    await actions.resetPriceBookAction(form({ site: "cn", region: "default" }));
    expect(await db.priceBook.count()).toBe(0);
  });

  it("save ACS lines from the form: the changed ones only, a bad one as a field error", async () => {
    const ok = await actions.savePriceBookAction(
      {},
      form({
        ...VALID_BOOK,
        "acs.general-purpose.default.vcpu": "0.000015",
        // Left as the form showed it (the published price): not stored.
        "acs.general-purpose.default.memory": "0.00000833",
      }),
    );
    expect(ok).toEqual({ ok: true });
    const row = await db.priceBook.findFirst({ where: { site: "cn" } });
    expect(JSON.parse(row!.acsPrices!)).toEqual({ "acs.general-purpose.default.vcpu": "0.000015" });
    const bad = await actions.savePriceBookAction({}, form({ ...VALID_BOOK, "acs.performance.default.vcpu": "abc" }));
    expect(bad.fieldErrors).toEqual({ acsPrices: true });
    expect(bad.values).toMatchObject({ "acs.performance.default.vcpu": "abc" });
    await actions.resetPriceBookAction(form({ site: "cn", region: "default" }));
  });

  it("add, refuse a duplicate, edit and delete an ECS price", async () => {
    expect(
      await actions.saveEcsPriceAction({}, form({ name: "c6.large", currency: "CNY", monthlyPrice: "139" })),
    ).toEqual({ ok: true });
    const duplicate = await actions.saveEcsPriceAction(
      {},
      form({ name: "c6.large", currency: "CNY", monthlyPrice: "140" }),
    );
    expect(duplicate).toMatchObject({ error: "duplicate", fieldErrors: { name: true } });
    const row = await db.ecsPrice.findUniqueOrThrow({ where: { name: "c6.large" } });
    expect(
      await actions.saveEcsPriceAction(
        {},
        form({ id: row.id, name: "c6.large", currency: "CNY", monthlyPrice: "abc" }),
      ),
    ).toMatchObject({
      fieldErrors: { monthlyPrice: true },
      values: { monthlyPrice: "abc" },
    });
    expect(
      await actions.saveEcsPriceAction(
        {},
        form({ id: row.id, name: "c6.large", currency: "CNY", monthlyPrice: "150" }),
      ),
    ).toEqual({ ok: true });
    expect((await db.ecsPrice.findUniqueOrThrow({ where: { id: row.id } })).monthlyPrice).toBe("150");
    await actions.deleteEcsPriceAction(form({ id: row.id }));
    expect(await db.ecsPrice.count()).toBe(0);
    expect(
      await actions.saveEcsPriceAction({}, form({ id: row.id, name: "c6.large", currency: "CNY", monthlyPrice: "1" })),
    ).toMatchObject({ error: "notFound" });
  });
});
