import { describe, expect, it } from "vitest";
import { AUDIT_MESSAGE_MAX, auditMessage, redactSecrets } from "./redact";

describe("redactSecrets", () => {
  it.each([
    ["a runner token", "register failed for glrt-AbCdEf123456789_xyz", "glrt-AbCdEf"],
    ["a personal access token", "token glpat-1234567890abcdefghij was refused", "glpat-12345"],
    ["a registration token", "GR1348941aBcDeFgHiJkLmN is expired", "GR1348941aBcD"],
    ["a JWT", "Unauthorized: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", "eyJhbGciOiJ"],
    ["a bearer header", "sent Authorization: Bearer abcdefgh12345678", "abcdefgh1234"],
    ["a password assignment", 'bad config: password="hunter2-secret"', "hunter2"],
    ["a client_secret in a query", "POST /token?client_secret=s3cr3tv4lue&x=1", "s3cr3tv4lue"],
    ["a PEM key", "key -----BEGIN PRIVATE KEY-----\nMIIEv...\n-----END PRIVATE KEY----- end", "MIIEv"],
  ])("masks %s", (_name, text, secret) => {
    const result = redactSecrets(text);
    expect(result).not.toContain(secret);
    expect(result).toContain("redacted");
  });

  it("keeps ordinary messages as they are", () => {
    const text = 'pods "runner-abc-123" is forbidden: User "system:serviceaccount:ci:ask" cannot delete';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe("auditMessage", () => {
  it("is one line and bounded", () => {
    expect(auditMessage("a\n  b\tc")).toBe("a b c");
    const long = auditMessage("x".repeat(5000))!;
    expect(long.length).toBe(AUDIT_MESSAGE_MAX);
    expect(long.endsWith("…")).toBe(true);
  });
  it("is null for nothing", () => {
    expect(auditMessage(undefined)).toBeNull();
    expect(auditMessage("   ")).toBeNull();
  });
});
