import { describe, expect, it } from "vitest";
import { connectionPricingOf, connectionPricingSchema } from "./connection-pricing";

describe("connection pricing settings", () => {
  it.each([
    [{ priceSite: "cn", priceRegion: "", defaultBackend: "eci" }, { priceRegion: "default" }],
    [{ priceSite: "intl", priceRegion: " ap-southeast-1 ", defaultBackend: "acs" }, { priceRegion: "ap-southeast-1" }],
    [{ priceSite: "cn", priceRegion: "cn-hongkong", defaultBackend: "eci" }, { priceRegion: "cn-hongkong" }],
  ])("accepts %o", (input, expected) => {
    const parsed = connectionPricingSchema.safeParse(input);
    expect(parsed.success && parsed.data).toMatchObject(expected);
  });

  it.each([
    [{ priceSite: "eu", priceRegion: "", defaultBackend: "eci" }, "priceSite"],
    [{ priceSite: "cn", priceRegion: "Hangzhou!", defaultBackend: "eci" }, "priceRegion"],
    [{ priceSite: "cn", priceRegion: "x".repeat(41), defaultBackend: "eci" }, "priceRegion"],
    [{ priceSite: "cn", priceRegion: "", defaultBackend: "ecs" }, "defaultBackend"],
  ])("refuses %o on %s", (input, field) => {
    const parsed = connectionPricingSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path[0])).toEqual([field]);
  });

  it("reads stored columns, falling back on values it does not know", () => {
    expect(connectionPricingOf({ priceSite: "intl", priceRegion: "eu-central-1", defaultBackend: "acs" })).toEqual({
      site: "intl",
      region: "eu-central-1",
      defaultBackend: "acs",
    });
    expect(connectionPricingOf({ priceSite: "mars", priceRegion: "<script>", defaultBackend: "gpu" })).toEqual({
      site: "cn",
      region: "default",
      defaultBackend: "eci",
    });
  });
});
