import { describe, expect, it } from "vitest";
import { emptyToUndefined, listToText, mapToText, textToList, textToMap } from "./form-values";

describe("textToMap / mapToText", () => {
  it.each([
    ["key=value lines", "team=platform\ncost-center = 42", { team: "platform", "cost-center": "42" }],
    ["blank lines ignored", "\n a=1 \n\n", { a: "1" }],
    ["value containing '='", "expr=a=b", { expr: "a=b" }],
    ["a line without '=' is kept for the schema to report", "oops", { oops: "" }],
    ["empty text", "", {}],
  ])("%s", (_name, text, map) => {
    expect(textToMap(text)).toEqual(map);
  });

  it("round-trips", () => {
    const map = { "ci.example.com/pipeline": "$CI_PIPELINE_ID", team: "platform" };
    expect(textToMap(mapToText(map))).toEqual(map);
  });
});

describe("textToList / listToText", () => {
  it.each([
    ["lines", "a\nb", ["a", "b"]],
    ["commas", "2-4Gi, ecs.c6.large", ["2-4Gi", "ecs.c6.large"]],
    ["blank entries dropped", "a,,\n\nb", ["a", "b"]],
  ])("%s", (_name, text, list) => {
    expect(textToList(text)).toEqual(list);
  });

  it("round-trips", () => {
    expect(textToList(listToText(["x:1", "y:2"]))).toEqual(["x:1", "y:2"]);
  });
});

describe("emptyToUndefined", () => {
  it.each([
    ["", undefined],
    [Number.NaN, undefined],
    [0, 0],
    ["x", "x"],
  ])("%s", (input, output) => {
    expect(emptyToUndefined(input)).toBe(output);
  });
});
