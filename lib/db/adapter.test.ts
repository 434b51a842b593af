import { describe, expect, it } from "vitest";
import { POOL_DEFAULTS, poolSettings } from "./adapter";

describe("poolSettings", () => {
  const url = "postgresql://ask:secret@db.example:5432/askci";

  it("uses the defaults without parameters or variables", () => {
    expect(poolSettings(url, {})).toEqual({ connectionString: url, ...POOL_DEFAULTS });
  });

  it("reads pool size, timeouts and schema from the URL and hands node-postgres the rest", () => {
    const settings = poolSettings(
      `${url}?sslmode=verify-full&connection_limit=4&pool_timeout=2&statement_timeout=1500&schema=askci&application_name=ask-ci`,
      { DATABASE_POOL_SIZE: "50" },
    );
    expect(settings).toEqual({
      connectionString: `${url}?sslmode=verify-full&application_name=ask-ci`,
      max: 4,
      connectionTimeoutMs: 2000,
      statementTimeoutMs: 1500,
      schema: "askci",
    });
  });

  it("falls back to the environment when the URL is silent", () => {
    expect(
      poolSettings(url, {
        DATABASE_POOL_SIZE: "3",
        DATABASE_STATEMENT_TIMEOUT_MS: "250",
        DATABASE_CONNECT_TIMEOUT_MS: "900",
      }),
    ).toMatchObject({ max: 3, statementTimeoutMs: 250, connectionTimeoutMs: 900 });
  });

  it("ignores schema=public (the default search path)", () => {
    expect(poolSettings(`${url}?schema=public`, {}).schema).toBeUndefined();
  });

  it.each(["connection_limit=0", "connection_limit=x", "statement_timeout=-1", "pool_timeout=1.5"])(
    "rejects %s with the parameter's name",
    (parameter) => {
      expect(() => poolSettings(`${url}?${parameter}`, {})).toThrow(parameter.split("=")[0]);
    },
  );
});
