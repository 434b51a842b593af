import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, dynamicSecurityHeaders } from "./security-headers";

const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

describe("contentSecurityPolicy", () => {
  it("forbids framing, foreign scripts, objects and foreign form targets", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "abc" }));
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
  });

  it("allows eval and websockets only in development", () => {
    expect(directives(contentSecurityPolicy({ nonce: "n", dev: true })).get("script-src")).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy({ nonce: "n" })).not.toContain("unsafe-eval");
  });

  it("upgrades insecure requests over HTTPS", () => {
    expect(directives(contentSecurityPolicy({ nonce: "n", https: true })).has("upgrade-insecure-requests")).toBe(true);
  });
});

describe("dynamicSecurityHeaders", () => {
  it("sends HSTS only over HTTPS", () => {
    expect(dynamicSecurityHeaders({ nonce: "n", https: true })["Strict-Transport-Security"]).toBe("max-age=31536000");
    expect(dynamicSecurityHeaders({ nonce: "n" })).not.toHaveProperty("Strict-Transport-Security");
  });
});

describe("STATIC_SECURITY_HEADERS", () => {
  it("are nosniff, no framing and a same-origin Referer", async () => {
    const { STATIC_SECURITY_HEADERS } = await import("./security-headers");
    expect(Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key, h.value]))).toEqual({
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "same-origin",
    });
  });
});
