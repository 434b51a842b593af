import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv";

describe("csvCell", () => {
  it.each<[string, Parameters<typeof csvCell>[0], string]>([
    ["plain text", "group/app", "group/app"],
    ["a formula", '=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ["plus", "+1+1", "'+1+1"],
    ["minus", "-2+3", "'-2+3"],
    ["at", "@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["tab", "\t=1", "'\t=1"],
    ["carriage return", "\r=1", `"'\r=1"`],
    ["line feed", "\n=1", `"'\n=1"`],
    ["full-width equals", "＝1+1", "'＝1+1"],
    ["a formula character later is harmless", "a=b", "a=b"],
    ["comma", "a,b", '"a,b"'],
    ["quotes", 'say "hi"', '"say ""hi"""'],
    ["line break inside", "a\nb", '"a\nb"'],
    ["a negative number is a number", -1.5, "-1.5"],
    ["zero", 0, "0"],
    ["a boolean", true, "true"],
    ["null", null, ""],
    ["undefined", undefined, ""],
    ["markup stays text", "<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"],
  ])("%s", (_name, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe("toCsv", () => {
  it("joins cells with commas and rows with CRLF, ending with one", () => {
    expect(
      toCsv([
        ["a", 1],
        ["=b", null],
      ]),
    ).toBe("a,1\r\n'=b,\r\n");
  });
});
