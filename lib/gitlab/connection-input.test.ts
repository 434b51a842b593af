import { describe, expect, it } from "vitest";
import { caFingerprintOf, checkGitlabUrl, createGitlabConnectionSchema } from "./connection-input";

describe("checkGitlabUrl", () => {
  it.each([
    ["https://gitlab.com", "https://gitlab.com"],
    ["https://gitlab.com/", "https://gitlab.com"],
    [" https://git.corp/gitlab/ ", "https://git.corp/gitlab"],
    ["https://git.corp/api/v4", "https://git.corp"],
    ["http://127.0.0.1:8929", "http://127.0.0.1:8929"],
    ["http://localhost:8929/", "http://localhost:8929"],
  ])("accepts %s as %s", (input, stored) => expect(checkGitlabUrl(input)).toEqual({ ok: true, value: stored }));

  it.each([
    ["gitlab.com", "invalidUrl"],
    ["http://gitlab.corp", "notHttps"],
    ["ftp://gitlab.corp", "notHttps"],
    ["https://user:pw@gitlab.com", "invalidUrl"],
    ["https://gitlab.com/?private_token=x", "invalidUrl"],
  ])("refuses %s (%s)", (input, code) => {
    const result = checkGitlabUrl(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem.code).toBe(code);
  });
});

describe("createGitlabConnectionSchema", () => {
  it("trims, and drops an empty CA", () => {
    const parsed = createGitlabConnectionSchema.parse({
      name: " gitlab ",
      credentials: { url: "https://gitlab.com", token: " glpat-abc ", caCertificate: "  " },
    });
    expect(parsed).toEqual({ name: "gitlab", credentials: { url: "https://gitlab.com", token: "glpat-abc" } });
  });

  it.each([
    [{ name: "", credentials: { url: "https://g", token: "t" } }, "nameRequired"],
    [{ name: "g", credentials: { url: "", token: "t" } }, "urlRequired"],
    [{ name: "g", credentials: { url: "https://g", token: "" } }, "tokenRequired"],
    [{ name: "g", credentials: { url: "https://g", token: "has space" } }, "tokenInvalid"],
    [{ name: "g", credentials: { url: "https://g", token: "x".repeat(1025) } }, "tokenTooLong"],
  ])("refuses %j with %s", (input, message) => {
    const result = createGitlabConnectionSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe(message);
  });
});

describe("caFingerprintOf", () => {
  it("is null without a CA and a problem for text that is not a certificate", () => {
    expect(caFingerprintOf(undefined)).toEqual({ ok: true, value: null });
    expect(caFingerprintOf("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")).toMatchObject({
      ok: false,
      problem: { code: "invalidCaCertificate", field: "caCertificate" },
    });
  });
});
