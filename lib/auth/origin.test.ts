import { describe, expect, it } from "vitest";
import { isSameOrigin } from "./origin";

const headers = (init: Record<string, string>) => new Headers(init);

describe("isSameOrigin", () => {
  it("accepts a request whose Origin names the same host", () => {
    expect(isSameOrigin(headers({ host: "localhost:3000", origin: "http://localhost:3000" }))).toBe(true);
  });
  it("refuses another origin", () => {
    expect(isSameOrigin(headers({ host: "localhost:3000", origin: "https://evil.example" }))).toBe(false);
  });
  it("falls back to the Referer", () => {
    expect(isSameOrigin(headers({ host: "a:1", referer: "http://b:1/page" }))).toBe(false);
    expect(isSameOrigin(headers({ host: "a:1", referer: "http://a:1/page" }))).toBe(true);
  });
  it("refuses a garbled Origin", () => {
    expect(isSameOrigin(headers({ host: "a:1", origin: "::::" }))).toBe(false);
  });
  it("lets non-browser clients without Origin through (they carry no ambient cookie)", () => {
    expect(isSameOrigin(headers({ host: "a:1" }))).toBe(true);
  });
});
