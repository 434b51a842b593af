import { afterEach, describe, expect, it, vi } from "vitest";

// The address the login limits count. Without a trusted proxy only the entry our own server added
// (the last one) counts: entries before it are whatever the client chose to send.

const saved = process.env.ASK_CI_TRUST_PROXY;

async function clientAddressWith(trustProxy: boolean) {
  vi.resetModules();
  if (trustProxy) process.env.ASK_CI_TRUST_PROXY = "true";
  else delete process.env.ASK_CI_TRUST_PROXY;
  return (await import("./client-address.server")).clientAddress;
}

afterEach(() => {
  if (saved === undefined) delete process.env.ASK_CI_TRUST_PROXY;
  else process.env.ASK_CI_TRUST_PROXY = saved;
});

describe("clientAddress without a trusted proxy", () => {
  it("ignores addresses the client put in front of X-Forwarded-For", async () => {
    const clientAddress = await clientAddressWith(false);
    const headers = new Headers({ "x-forwarded-for": "203.0.113.77, 198.51.100.4,10.0.0.9" });
    expect(clientAddress(headers)).toBe("10.0.0.9");
  });

  it("gives a rotating forged first entry no new identity", async () => {
    const clientAddress = await clientAddressWith(false);
    const seen = new Set(
      ["192.0.2.1", "192.0.2.2", "192.0.2.3"].map((forged) =>
        clientAddress(new Headers({ "x-forwarded-for": `${forged}, 10.0.0.9` })),
      ),
    );
    expect([...seen]).toEqual(["10.0.0.9"]);
  });
});
