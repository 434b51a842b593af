import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

// A device cookie exempts a browser from the account-wide login lock (lib/auth/login-throttle.ts),
// so what it accepts is a security branch: each refusal below is a cookie that must not count.

let device: typeof import("./device-cookie.server");
let encryptJson: typeof import("@/lib/crypto/encryption.server").encryptJson;

const NOW = Date.parse("2026-12-07T00:00:00Z");
const YEAR_MS = 365 * 24 * 3600 * 1000;

beforeAll(async () => {
  // The server's key, in a key file of a fresh data directory.
  process.env.ASK_CI_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-device-"));
  delete process.env.ASK_CI_SECRET_KEY;
  device = await import("./device-cookie.server");
  ({ encryptJson } = await import("@/lib/crypto/encryption.server"));
});

/** A cookie sealed with the server's key around any payload, as a forger with the key could not make. */
const sealed = (payload: unknown) => Buffer.from(encryptJson(payload)).toString("base64url");

describe("device cookies", () => {
  it("are named ask_ci_device and kept for a year", () => {
    expect(device.DEVICE_COOKIE).toBe("ask_ci_device");
    expect(device.DEVICE_COOKIE_MAX_AGE_SECONDS).toBe(31_536_000);
  });

  it("name the account they were issued for, whatever its case, with a random id", () => {
    const cookie = device.issueDeviceCookie("Owner", NOW);
    const id = device.deviceIdFor(cookie, "owner", NOW);
    expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(device.deviceIdFor(cookie, "OWNER", NOW)).toBe(id);
    expect(device.deviceIdFor(device.issueDeviceCookie("owner", NOW), "owner", NOW)).not.toBe(id);
  });

  it("do not count for another account", () => {
    expect(device.deviceIdFor(device.issueDeviceCookie("owner", NOW), "other", NOW)).toBeUndefined();
  });

  it("count from the instant they are issued until exactly a year later, not before nor after", () => {
    const cookie = device.issueDeviceCookie("owner", NOW);
    const id = device.deviceIdFor(cookie, "owner", NOW);
    expect(id).toBeDefined();
    expect(device.deviceIdFor(cookie, "owner", NOW + YEAR_MS)).toBe(id);
    expect(device.deviceIdFor(cookie, "owner", NOW + YEAR_MS + 1)).toBeUndefined();
    expect(device.deviceIdFor(cookie, "owner", NOW - 1)).toBeUndefined();
  });

  it("are refused when missing, not sealed with our key, or implausibly long", () => {
    expect(device.deviceIdFor(undefined, "owner", NOW)).toBeUndefined();
    expect(device.deviceIdFor("", "owner", NOW)).toBeUndefined();
    expect(device.deviceIdFor("not-a-sealed-cookie", "owner", NOW)).toBeUndefined();
    const valid = device.issueDeviceCookie("owner", NOW);
    expect(device.deviceIdFor(`${valid.slice(0, -4)}AAAA`, "owner", NOW)).toBeUndefined();
    // Longer than any cookie we issue: refused before it is decrypted, even when sealed by us.
    const long = sealed({ purpose: "login-device", username: "x".repeat(1600), id: "a".repeat(24), issuedAt: NOW });
    expect(long.length).toBeGreaterThan(2048);
    expect(device.deviceIdFor(long, "x".repeat(1600), NOW)).toBeUndefined();
  });

  it("are refused when sealed by us for another purpose or with an id of the wrong size", () => {
    const payload = { purpose: "login-device", username: "owner", id: "a".repeat(16), issuedAt: NOW };
    expect(device.deviceIdFor(sealed(payload), "owner", NOW)).toBe("a".repeat(16));
    expect(device.deviceIdFor(sealed({ ...payload, id: "a".repeat(64) }), "owner", NOW)).toBe("a".repeat(64));
    expect(device.deviceIdFor(sealed({ ...payload, purpose: "gitlab-sign-in" }), "owner", NOW)).toBeUndefined();
    expect(device.deviceIdFor(sealed({ ...payload, id: "a".repeat(15) }), "owner", NOW)).toBeUndefined();
    expect(device.deviceIdFor(sealed({ ...payload, id: "a".repeat(65) }), "owner", NOW)).toBeUndefined();
    expect(device.deviceIdFor(sealed({ ...payload, issuedAt: "now" }), "owner", NOW)).toBeUndefined();
  });
});
