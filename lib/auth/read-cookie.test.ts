import { describe, expect, it } from "vitest";
import { readCookie } from "./read-cookie";

describe("readCookie", () => {
  it.each([
    ["the named cookie among others", "theme=dark; ask_ci_session=abc-123_x; NEXT_LOCALE=zh-CN", "abc-123_x"],
    ["a value containing '='", "ask_ci_session=a=b=", "a=b="],
    ["a percent-encoded value", "ask_ci_session=a%20b", "a b"],
    ["no such cookie", "theme=dark", undefined],
    ["a cookie whose name only starts the same", "ask_ci_session_old=x", undefined],
    ["no Cookie header", null, undefined],
    ["malformed percent-encoding", "ask_ci_session=%E0%A4%A", undefined],
  ])("%s", (_name, header, expected) => {
    expect(readCookie(header, "ask_ci_session")).toBe(expected);
  });
});
