import { describe, expect, it } from "vitest";
import { decodeKey, parseEnv } from "./env";

describe("parseEnv", () => {
  it("fills the embedded defaults", () => {
    const env = parseEnv({});
    expect(env.ASK_CI_DATA_DIR).toBe("data");
    expect(env.ADMIN_USERNAME).toBe("admin");
    expect(env.SESSION_TTL_HOURS).toBe(12);
    expect(env.databaseUrl).toMatch(/^file:\/.*data\/ask-ci\.db$/);
  });

  it("keeps DATABASE_URL when given", () => {
    expect(parseEnv({ DATABASE_URL: "file:/tmp/x.db" }).databaseUrl).toBe("file:/tmp/x.db");
  });

  it.each([
    [{ SESSION_TTL_HOURS: "soon" }, /^Invalid configuration: SESSION_TTL_HOURS /],
    [{ SESSION_TTL_HOURS: "0" }, /SESSION_TTL_HOURS/],
    [{ ADMIN_PASSWORD: "short" }, /^Invalid configuration: ADMIN_PASSWORD must be at least 8 characters$/],
    [{ ADMIN_USERNAME: "a b" }, /ADMIN_USERNAME/],
    [{ ASK_CI_SECRET_KEY: "not-a-key" }, /ASK_CI_SECRET_KEY must be 32 bytes/],
    [{ ASK_CI_TRUST_PROXY: "maybe" }, /ASK_CI_TRUST_PROXY/],
  ])("stops with one line naming the variable for %o", (source, message) => {
    expect(() => parseEnv(source)).toThrow(message);
    try {
      parseEnv(source);
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("treats an empty optional variable as unset", () => {
    expect(parseEnv({ ADMIN_PASSWORD: "" }).ADMIN_PASSWORD).toBeUndefined();
  });
});

describe("decodeKey", () => {
  it("accepts 64 hex characters and 32 bytes of base64", () => {
    expect(decodeKey("ab".repeat(32))?.length).toBe(32);
    expect(decodeKey(Buffer.alloc(32, 7).toString("base64"))?.length).toBe(32);
  });
  it("refuses other lengths", () => {
    expect(decodeKey("abcd")).toBeNull();
    expect(decodeKey(Buffer.alloc(16).toString("base64"))).toBeNull();
  });
});
