import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddressFrom, settleForwardedHeaders } from "./forwarded";

function settle(headers: IncomingHttpHeaders, socket: string | undefined, trustProxy: boolean) {
  const copy = { ...headers };
  settleForwardedHeaders(copy, socket, trustProxy);
  return copy;
}

describe("settleForwardedHeaders", () => {
  it.each<[string, IncomingHttpHeaders, boolean, IncomingHttpHeaders]>([
    [
      "no proxy, nothing forwarded: the socket",
      { host: "a:3000" },
      false,
      { host: "a:3000", "x-forwarded-for": "10.0.0.9" },
    ],
    [
      "no proxy: a forged X-Forwarded-For is replaced by the socket",
      { host: "a:3000", "x-forwarded-for": "1.2.3.4" },
      false,
      { host: "a:3000", "x-forwarded-for": "10.0.0.9" },
    ],
    [
      "no proxy: forged host, protocol, port, X-Real-IP and Forwarded are removed",
      {
        host: "a:3000",
        "x-forwarded-host": "evil.example",
        "x-forwarded-proto": "https",
        "x-forwarded-port": "443",
        "x-real-ip": "1.2.3.4",
        forwarded: "for=1.2.3.4",
      },
      false,
      { host: "a:3000", "x-forwarded-for": "10.0.0.9" },
    ],
    [
      "trusted proxy: only its own (last) entry counts",
      { "x-forwarded-for": "1.2.3.4, 203.0.113.7" },
      true,
      { "x-forwarded-for": "203.0.113.7" },
    ],
    [
      "trusted proxy: repeated headers are one list",
      { "x-forwarded-for": ["1.2.3.4", "203.0.113.7"] as unknown as string },
      true,
      { "x-forwarded-for": "203.0.113.7" },
    ],
    [
      "trusted proxy without X-Forwarded-For: the socket (the proxy itself)",
      {},
      true,
      { "x-forwarded-for": "10.0.0.9" },
    ],
    [
      "trusted proxy: its host and protocol stay, first value only; a strange protocol does not",
      { "x-forwarded-host": "ask-ci.example.com, inner", "x-forwarded-proto": "https" },
      true,
      { "x-forwarded-for": "10.0.0.9", "x-forwarded-host": "ask-ci.example.com", "x-forwarded-proto": "https" },
    ],
    [
      "trusted proxy: protocol javascript is dropped",
      { "x-forwarded-proto": "javascript" },
      true,
      { "x-forwarded-for": "10.0.0.9" },
    ],
  ])("%s", (_name, headers, trustProxy, expected) => {
    expect(settle(headers, "10.0.0.9", trustProxy)).toEqual(expected);
  });
});

describe("clientAddressFrom", () => {
  it.each([
    ["10.0.0.9", "10.0.0.9"],
    ["1.2.3.4, 10.0.0.9", "10.0.0.9"],
    ["", "unknown"],
  ])("%s → %s", (value, expected) => {
    expect(clientAddressFrom(new Headers(value ? { "x-forwarded-for": value } : {}))).toBe(expected);
  });
});
