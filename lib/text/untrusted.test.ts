import { describe, expect, it } from "vitest";
import { safeDecodeURIComponent, storableOrNull, storableText, wellFormed } from "./untrusted";

describe("storableText", () => {
  it.each([
    ["plain text", "group/app", 100, "group/app"],
    ["a lone high surrogate", "a\uD800b", 100, "a\uFFFDb"],
    ["a lone low surrogate", "a\uDC00b", 100, "a\uFFFDb"],
    ["a surrogate pair (emoji) kept", "ok 😀", 100, "ok 😀"],
    ["NUL removed", "a\u0000b", 100, "ab"],
    ["right-to-left override kept (text, not markup)", "a\u202Eb", 100, "a\u202Eb"],
    ["cut at the cap, in code points", "😀😀😀", 2, "😀😀"],
    ["a reversed pair is two lone surrogates", "\uDE00\uD83D", 100, "\uFFFD\uFFFD"],
  ])("%s", (_name, input, max, expected) => {
    expect(storableText(input, max)).toBe(expected);
  });

  it("keeps null as null", () => {
    expect(storableOrNull(null, 5)).toBeNull();
    expect(storableOrNull(undefined, 5)).toBeNull();
    expect(storableOrNull("abcdef", 5)).toBe("abcde");
  });

  it("wellFormed matches String.prototype.toWellFormed where the runtime has it", () => {
    const native = (String.prototype as { toWellFormed?: () => string }).toWellFormed;
    for (const s of ["\uD800", "a\uDFFFb", "😀", "\uD83D\uDE00\uD83D", ""]) {
      if (native) expect(wellFormed(s)).toBe(native.call(s));
    }
  });
});

describe("safeDecodeURIComponent", () => {
  it.each([
    ["group%2Fapp", "group/app"],
    ["grp%E0%A4%A", null],
    ["%", null],
    ["%zz", null],
    ["plain", "plain"],
  ])("%s → %s", (input, expected) => {
    expect(safeDecodeURIComponent(input)).toBe(expected);
  });
});
