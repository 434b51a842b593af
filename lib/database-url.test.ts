import { describe, expect, it } from "vitest";
import { databaseProvider, redactDatabaseUrl, resolveDatabaseUrl } from "./database-url";

describe("databaseProvider", () => {
  it.each([
    ["file:/var/lib/ask-ci/ask-ci.db", "sqlite"],
    ["postgresql://u@h/db", "postgresql"],
    ["postgres://u@h/db", "postgresql"],
    ["POSTGRESQL://u@h/db", "postgresql"],
    ["mysql://u@h/db", null],
    ["/var/lib/ask-ci.db", null],
  ])("%s → %s", (url, provider) => {
    expect(databaseProvider(url)).toBe(provider);
  });
});

describe("resolveDatabaseUrl", () => {
  it("defaults to the SQLite file in the data directory", () => {
    expect(resolveDatabaseUrl({ ASK_CI_DATA_DIR: "/srv/data" })).toBe("file:/srv/data/ask-ci.db");
  });
});

describe("redactDatabaseUrl", () => {
  it("hides the password and keeps the rest", () => {
    expect(redactDatabaseUrl("postgresql://ask:s3cr%40t@db:5432/askci?sslmode=require")).toBe(
      "postgresql://ask:***@db:5432/askci?sslmode=require",
    );
    expect(redactDatabaseUrl("file:/data/ask-ci.db")).toBe("file:/data/ask-ci.db");
  });
});
