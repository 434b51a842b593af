import { describe, expect, it } from "vitest";
import { failureKeys, LOGIN_LIMITS, loginRefusal } from "./login-throttle";

describe("loginRefusal", () => {
  const L = LOGIN_LIMITS;
  it.each<[string, Parameters<typeof loginRefusal>[0], boolean, ReturnType<typeof loginRefusal>]>([
    ["nothing failed", {}, false, null],
    ["the address over its limit", { address: L.address }, true, "address"],
    [
      "the account from this address over its limit",
      { accountAndAddress: L.accountAndAddress },
      true,
      "accountAndAddress",
    ],
    ["the account over its limit, unknown browser", { account: L.account }, false, "account"],
    ["the account over its limit, the owner's browser", { account: L.account }, true, null],
    ["the owner's browser after its own failures", { account: L.account, device: L.device }, true, "device"],
    ["device failures do not matter without the cookie", { device: 99 }, false, null],
    [
      "just under every limit",
      { address: L.address - 1, accountAndAddress: L.accountAndAddress - 1, account: L.account - 1 },
      false,
      null,
    ],
  ])("%s → %s", (_name, failures, trusted, expected) => {
    expect(loginRefusal(failures, trusted)).toBe(expected);
  });
});

describe("failureKeys", () => {
  it("counts usernames without case, and the device only when there is one", () => {
    expect(failureKeys({ address: "10.0.0.1", username: "Admin" })).toEqual({
      address: "ip:10.0.0.1",
      accountAndAddress: "user-ip:admin|10.0.0.1",
      account: "user:admin",
    });
    expect(failureKeys({ address: "a", username: "b", deviceId: "d" }).device).toBe("device:d");
  });
});
