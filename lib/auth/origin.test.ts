import { describe, expect, it } from "vitest";
import { isSameOrigin, type OriginPolicy } from "./origin";

describe("isSameOrigin", () => {
  it.each<[string, Record<string, string>, OriginPolicy, boolean]>([
    ["Origin names the Host", { host: "localhost:3000", origin: "http://localhost:3000" }, {}, true],
    ["another origin", { host: "localhost:3000", origin: "https://evil.example" }, {}, false],
    ["another port of the same host", { host: "localhost:3000", origin: "http://localhost:8080" }, {}, false],
    ["hosts compare without case", { host: "LocalHost:3000", origin: "http://localhost:3000" }, {}, true],
    ["no Origin, our Referer", { host: "a:1", referer: "http://a:1/page" }, {}, true],
    ["no Origin, a foreign Referer", { host: "a:1", referer: "http://b:1/page" }, {}, false],
    [
      "a foreign Origin wins over our Referer",
      { host: "a:1", origin: "http://b:1", referer: "http://a:1/" },
      {},
      false,
    ],
    ["a garbled Origin", { host: "a:1", origin: "::::" }, {}, false],
    ['Origin "null" (sandboxed frame, file page)', { host: "a:1", origin: "null" }, {}, false],
    ["neither Origin nor Referer: a non-browser client", { host: "a:1" }, {}, true],
    [
      "X-Forwarded-Host is not our host without a trusted proxy",
      { host: "a:1", "x-forwarded-host": "evil.example", origin: "http://evil.example" },
      {},
      false,
    ],
    [
      "behind a trusted proxy, its X-Forwarded-Host is",
      { host: "internal:3000", "x-forwarded-host": "ask-ci.example.com", origin: "https://ask-ci.example.com" },
      { trustProxy: true },
      true,
    ],
    [
      "ASK_CI_PUBLIC_URL names our host",
      { host: "internal:3000", origin: "https://ask-ci.example.com" },
      { publicUrl: "https://ask-ci.example.com/" },
      true,
    ],
    ["no Host at all and an Origin", { origin: "http://a:1" }, {}, false],
    // An empty header is no header: some clients send "Referer:" with nothing after it.
    ["an empty Origin and no Referer", { host: "a:1", origin: "" }, {}, true],
    ["an empty Referer and no Origin", { host: "a:1", referer: "" }, {}, true],
    [
      "a trusted proxy's list of forwarded hosts: the first, spaces around it ignored",
      {
        host: "internal:3000",
        "x-forwarded-host": "ask-ci.example.com , proxy.internal",
        origin: "https://ask-ci.example.com",
      },
      { trustProxy: true },
      true,
    ],
    [
      "a trusted proxy that sends no X-Forwarded-Host: the Host header decides",
      { host: "a:1", origin: "http://a:1" },
      { trustProxy: true },
      true,
    ],
  ])("%s → %s", (_name, init, policy, expected) => {
    expect(isSameOrigin(new Headers(init), policy)).toBe(expected);
  });
});
