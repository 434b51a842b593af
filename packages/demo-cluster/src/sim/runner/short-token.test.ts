import { describe, expect, it } from "vitest";
import { runnerRelease } from "./release";
import { shortenToken } from "./short-token";

const v17 = runnerRelease("17.11.4");
const v17early = runnerRelease("17.11.0");
const v19 = runnerRelease("19.3.0");

describe("shortenToken (helpers.ShortenToken) per release", () => {
  it.each([
    // token, 17.11.4, 19.3.0 (and every release from 18.2.0)
    ["glrt-t1_Demo7xK2pQ9mZr4vLw8sNc", "t1_Demo7x", "Demo7xK2p"],
    ["glrt-t3_xyz1234567890ab", "t3_xyz123", "xyz123456"],
    ["glrt-AbCdEfGhIjKlMnOp", "AbCdEfGhI", "AbCdEfGhI"],
    ["glrtr-abcdefghijkl", "abcdefghi", "abcdefghi"],
    ["glcbt-abcdefghijkl", "abcdefghi", "abcdefghi"],
    ["GR1348941abcdefghijklmnop", "GR1348941abcdefgh", "abcdefghi"],
    ["GRzzzzzzzabcdefghij", "GRzzzzzz", "GRzzzzzzz"],
    ["t2_abcdefghijkl", "t2_abcde", "abcdefghi"],
    ["abcdefghijkl", "abcdefgh", "abcdefghi"],
    ["short", "short", "short"],
  ])("%s → %s (17.11.4), %s (19.3.0)", (token, legacy, stripping) => {
    expect(shortenToken(token, v17)).toBe(legacy);
    expect(shortenToken(token, v19)).toBe(stripping);
  });

  it("treats glrtr- as an unknown prefix before 17.11.4", () => {
    expect(shortenToken("glrtr-abcdefghijkl", v17early)).toBe("glrtr-ab");
  });

  it("switches algorithm at v18.2.0", () => {
    expect(runnerRelease("18.1.0").shortToken).toBe("legacy");
    expect(runnerRelease("18.2.0").shortToken).toBe("prefix-stripping");
    expect(runnerRelease("18.11.4").shortToken).toBe("prefix-stripping");
  });
});
