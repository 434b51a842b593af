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
    [{ GITLAB_OIDC_ISSUER: "gitlab.com" }, /^Invalid configuration: GITLAB_OIDC_ISSUER must be an https URL/],
    [{ GITLAB_OIDC_ISSUER: "http://gitlab.example.com" }, /GITLAB_OIDC_ISSUER must be an https URL/],
    [{ GITLAB_OIDC_ISSUER: "https://gitlab.com" }, /^Invalid configuration: GITLAB_OIDC_CLIENT_ID is required when/],
    [
      { GITLAB_OIDC_ISSUER: "https://gitlab.com", GITLAB_OIDC_CLIENT_ID: "id" },
      /^Invalid configuration: GITLAB_OIDC_CLIENT_SECRET is required when/,
    ],
    [{ GITLAB_OIDC_SCOPES: "read_user" }, /GITLAB_OIDC_SCOPES must include openid/],
    [{ ASK_CI_PUBLIC_URL: "ask-ci.example.com" }, /ASK_CI_PUBLIC_URL/],
    [{ ASK_CI_WEBHOOK_URL: "127.0.0.1:3000" }, /ASK_CI_WEBHOOK_URL/],
  ])("stops with one line naming the variable for %o", (source, message) => {
    expect(() => parseEnv(source)).toThrow(message);
    try {
      parseEnv(source);
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("reads a GitLab OIDC application; the issuer without a trailing slash, plain http only on loopback", () => {
    const oidc = { GITLAB_OIDC_CLIENT_ID: "id", GITLAB_OIDC_CLIENT_SECRET: "secret" };
    expect(parseEnv({ ...oidc, GITLAB_OIDC_ISSUER: "https://gitlab.example.com/" }).GITLAB_OIDC_ISSUER).toBe(
      "https://gitlab.example.com",
    );
    expect(parseEnv({ ...oidc, GITLAB_OIDC_ISSUER: "http://127.0.0.1:8929" }).GITLAB_OIDC_ISSUER).toBe(
      "http://127.0.0.1:8929",
    );
    expect(parseEnv({}).GITLAB_OIDC_ISSUER).toBeUndefined();
    expect(parseEnv({}).GITLAB_OIDC_SCOPES).toBe("openid profile email");
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

describe("database settings", () => {
  it("accepts SQLite and PostgreSQL URLs", () => {
    expect(parseEnv({ DATABASE_URL: "postgresql://u:p@db:5432/askci?sslmode=verify-full" }).databaseUrl).toBe(
      "postgresql://u:p@db:5432/askci?sslmode=verify-full",
    );
    expect(parseEnv({ DATABASE_URL: "postgres://db/askci" }).databaseUrl).toBe("postgres://db/askci");
  });

  it.each([
    [
      { DATABASE_URL: "mysql://db/askci" },
      /^Invalid configuration: DATABASE_URL must start with file: \(SQLite\) or postgresql:\/\//,
    ],
    [{ DATABASE_POOL_SIZE: "many" }, /^Invalid configuration: DATABASE_POOL_SIZE /],
    [{ DATABASE_STATEMENT_TIMEOUT_MS: "-5" }, /^Invalid configuration: DATABASE_STATEMENT_TIMEOUT_MS /],
  ])("names the wrong variable for %o", (source, message) => {
    expect(() => parseEnv(source)).toThrow(message);
  });
});
