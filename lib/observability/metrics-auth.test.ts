import { describe, expect, it } from "vitest";
import { metricsAllowed } from "./metrics-auth";

describe("metricsAllowed", () => {
  it("is open without a configured token", () => {
    expect(metricsAllowed(null, undefined)).toBe(true);
  });
  it("needs exactly the bearer token when one is configured", () => {
    expect(metricsAllowed("Bearer s3cret", "s3cret")).toBe(true);
    expect(metricsAllowed("bearer s3cret", "s3cret")).toBe(true);
    expect(metricsAllowed(null, "s3cret")).toBe(false);
    expect(metricsAllowed("Bearer s3cre", "s3cret")).toBe(false);
    expect(metricsAllowed("Basic s3cret", "s3cret")).toBe(false);
    expect(metricsAllowed("Bearer s3cret-and-more", "s3cret")).toBe(false);
  });
});
