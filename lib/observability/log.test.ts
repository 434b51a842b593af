import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redactSecrets, withRequestId } from "./log";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(stream), lines };
}

const PRIVATE_KEY =
  "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x9secretkeymaterial\n-----END RSA PRIVATE KEY-----";
const secrets = {
  bearer: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJlc2lnbmF0dXJl",
  runnerToken: "glrt-t3_AbCdEfGhIjKlMnOpQrSt",
  personalToken: "glpat-ZyXwVuTsRqPoNmLkJiHg",
  dbPassword: "pg-p4ss-w0rd",
  adminPassword: "hunter2-admin-password",
  clientKey: "secretkeymaterial",
  opaque: "0p4que-cluster-token-value",
};

describe("no secret reaches a log line", () => {
  it("masks secrets in messages, format arguments, objects, errors and URLs", () => {
    const { logger, lines } = capture();
    logger.info(`GET /apis with Authorization: Bearer ${secrets.bearer}`);
    logger.info("runner token is %s", secrets.runnerToken);
    logger.warn(
      { token: secrets.opaque, connection: { name: "prod", credentials: { clientKey: PRIVATE_KEY } } },
      "saved",
    );
    logger.error({ err: new Error(`login failed for postgresql://ask:${secrets.dbPassword}@db:5432/askci`) }, "db");
    logger.info({ settings: { gitlab: { url: "https://gitlab.example", token: secrets.personalToken } } }, "profile");
    logger.info(`created admin with password: ${secrets.adminPassword}`);
    logger.info({ headers: { authorization: `Bearer ${secrets.bearer}`, cookie: "ask_ci_session=abc" } }, "request");
    logger.info(`PRIVATE KEY in text ${PRIVATE_KEY}`);
    logger.info(`a PAT in a sentence ${secrets.personalToken}.`);

    expect(lines).toHaveLength(9);
    for (const line of lines) {
      expect(() => JSON.parse(line)).not.toThrow();
      for (const secret of Object.values(secrets)) expect(line).not.toContain(secret);
      expect(line).not.toContain("ask_ci_session=abc");
    }
    // What is not secret stays readable.
    expect(lines[2]).toContain('"name":"prod"');
    expect(lines[3]).toContain("postgresql://ask:[REDACTED]@db:5432/askci");
  });

  it("tags every line logged while serving a request with its id", () => {
    const { logger, lines } = capture();
    withRequestId("req-123", () => logger.info("inside"));
    logger.info("outside");
    expect(JSON.parse(lines[0])).toMatchObject({ requestId: "req-123", msg: "inside", level: "info" });
    expect(JSON.parse(lines[1]).requestId).toBeUndefined();
  });

  it("leaves plain values alone and survives cycles", () => {
    const cyclic: Record<string, unknown> = { name: "a", count: 3, ok: true };
    cyclic.self = cyclic;
    expect(redactSecrets(cyclic)).toEqual({ name: "a", count: 3, ok: true, self: "[…]" });
    expect(redactSecrets({ tokenCount: 0, password: "", runnerToken: "x" })).toEqual({
      tokenCount: 0,
      password: "",
      runnerToken: "[REDACTED]",
    });
  });
});
