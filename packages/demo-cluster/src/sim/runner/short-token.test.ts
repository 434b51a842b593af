import { describe, expect, it } from "vitest";
import { shortenToken } from "./short-token";

describe("shortenToken (GitLab Runner helpers.ShortenToken)", () => {
  it.each([
    ["glrt-AbCdEfGhIjKlMnOp", "AbCdEfGhI"],
    ["glrt-t1_AbCdEfGhIjKl", "AbCdEfGhI"],
    ["glrt-t3_xyz123456789", "xyz123456"],
    ["glrtr-abcdefghijkl", "abcdefghi"],
    ["glcbt-abcdefghijkl", "abcdefghi"],
    ["GR1348941abcdefghijklmnop", "GR1348941abcdefgh"],
    ["GRzzzzzzzabcdefghij", "GRzzzzzz"],
    ["abcdefghijkl", "abcdefgh"],
    ["short", "short"],
  ])("%s -> %s", (token, expected) => {
    expect(shortenToken(token)).toBe(expected);
  });
});
