import { describe, expect, it } from "vitest";
import { checkValue, jsonDepth, parseLimitedJson, textProblem } from "./json-limits";
import { BODY_LIMITS, type BodyLimits } from "./limits";

// The limits at their edges: exactly at a limit is taken, one past it refused. Small limits so the
// edges are cheap to reach; the production numbers are in ./limits.ts.
const SMALL: BodyLimits = { ...BODY_LIMITS, depth: 3, width: 4, nodes: 10, string: 5 };

describe("jsonDepth", () => {
  it("counts the nesting of arrays and objects, mixed", () => {
    expect(jsonDepth("1")).toBe(0);
    expect(jsonDepth("[]")).toBe(1);
    expect(jsonDepth('{"a":[{"b":[]}]}')).toBe(4);
    expect(jsonDepth("[[],[[]],[]]")).toBe(3);
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    expect(jsonDepth('["[[[[{{{{"]')).toBe(1);
    expect(jsonDepth('["a \\" [[[[ still inside the string"]')).toBe(1);
    expect(jsonDepth('["ends with a backslash \\\\", [[]]]')).toBe(3);
  });
});

describe("parseLimitedJson at its limits", () => {
  it.each<[string, string, boolean]>([
    ["depth at the limit", "[[[1]]]", true],
    ["depth one past it", "[[[[1]]]]", false],
    ["width at the limit", "[1,2,3,4]", true],
    ["width one past it", "[1,2,3,4,5]", false],
    ["object keys at the limit", '{"a":1,"b":2,"c":3,"d":4}', true],
    ["object keys one past it", '{"a":1,"b":2,"c":3,"d":4,"e":5}', false],
    ["a string at the limit", '["abcde"]', true],
    ["a string one past it", '["abcdef"]', false],
    ["a key one past the string limit", '{"abcdef":1}', false],
    ["values at the node limit (10: the list, two lists, seven numbers)", "[[1,2,3],[4,5,6],7]", true],
    ["one value past it", "[[1,2,3],[4,5,6],7,8]", false],
  ])("%s", (_what, text, ok) => {
    expect(parseLimitedJson(text, SMALL).ok).toBe(ok);
  });

  it("names what is wrong", () => {
    expect(parseLimitedJson("[[[[1]]]]", SMALL)).toEqual({ ok: false, problem: "nested deeper than 3 levels" });
    expect(parseLimitedJson("[1,2,3,4,5]", SMALL)).toEqual({ ok: false, problem: "a list of more than 4 elements" });
    expect(parseLimitedJson('{"a":1,"b":2,"c":3,"d":4,"e":5}', SMALL)).toEqual({
      ok: false,
      problem: "an object with more than 4 keys",
    });
    expect(parseLimitedJson('["abcdef"]', SMALL)).toEqual({ ok: false, problem: "a text longer than 5 characters" });
    expect(parseLimitedJson("[[1,2,3],[4,5,6],7,8]", SMALL)).toEqual({ ok: false, problem: "more than 10 values" });
    expect(parseLimitedJson("[1,", SMALL)).toEqual({ ok: false, problem: "not valid JSON" });
  });

  it("finds a bad value wherever it sits, not only first", () => {
    expect(checkValue(["fine", { x: ["ok", "a\u0000b"] }], SMALL)).toBe("a text containing NUL");
    expect(checkValue({ ok: 1, nested: { constructor: 1 } })).toBe('the key "constructor"');
    expect(checkValue(["fine", { x: ["ok"] }], SMALL)).toBeNull();
  });
});

describe("textProblem", () => {
  it("takes text up to the limit, and refuses NUL and unpaired surrogates", () => {
    expect(textProblem("abcde", SMALL)).toBeNull();
    expect(textProblem("abcdef", SMALL)).toBe("a text longer than 5 characters");
    expect(textProblem("a\u0000")).toBe("a text containing NUL");
    expect(textProblem("a\uD800b")).toMatch(/unpaired surrogate/);
    expect(textProblem("😀")).toBeNull();
  });
});
