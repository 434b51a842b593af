import { describe, expect, it } from "vitest";
import { resolveLocale } from "./locales";

describe("resolveLocale", () => {
  it.each([
    [undefined, "zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    [undefined, "zh", "zh-CN"],
    [undefined, "en-US,en;q=0.9", "en"],
    [undefined, "fr-FR", "en"],
    [undefined, null, "en"],
    [undefined, "!!!;q=x", "en"],
    ["zh-CN", "en", "zh-CN"],
    ["en", "zh-CN", "en"],
    ["klingon", "zh-CN", "zh-CN"],
  ])("cookie %s + Accept-Language %s -> %s", (cookie, header, expected) => {
    expect(resolveLocale(cookie, header)).toBe(expected);
  });
});
