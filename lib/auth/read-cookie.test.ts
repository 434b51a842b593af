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
    // The browser lists the most specific cookie of a name first; a mangled one is not skipped
    // over to a later one (which a sibling site could have set: cookie tossing).
    ["a mangled value before a good one of the same name", "ask_ci_session=%E0%A4%A; ask_ci_session=b", undefined],
    ["the first of two cookies of the same name", "ask_ci_session=a; ask_ci_session=b", "a"],
  ])("%s", (_name, header, expected) => {
    expect(readCookie(header, "ask_ci_session")).toBe(expected);
  });
});
