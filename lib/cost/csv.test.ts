import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv";

describe("csvCell", () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ["+1+1", "'+1+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["a,b", '"a,b"'],
    ["line\nbreak", '"line\nbreak"'],
    ["plain", "plain"],
  ])("text %j → %j", (cell, expected) => expect(csvCell(cell)).toBe(expected));

  it("passes numbers, negative ones too, and writes nothing for null or undefined", () => {
    expect(csvCell(-3.5)).toBe("-3.5");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });
});

describe("toCsv", () => {
  it("writes CRLF rows of safe cells", () => {
    expect(
      toCsv([
        ["project", "cost"],
        ["=evil", 1.5],
      ]),
    ).toBe("project,cost\r\n'=evil,1.5\r\n");
  });
});
