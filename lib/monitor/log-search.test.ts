import { describe, expect, it } from "vitest";
import { searchLog } from "./log-search";

const LOG = "Running with gitlab-runner 17.11\n$ mvn test\n[ERROR] Tests run: 3, Failures: 1\nerror: build failed\n";

describe("searchLog", () => {
  it("keeps the lines containing the text, whatever the case, in order", () => {
    expect(searchLog(LOG, "error")).toEqual({
      lines: ["[ERROR] Tests run: 3, Failures: 1", "error: build failed"],
      count: 2,
    });
  });

  it("returns every line (no trailing empty one) and no count for an empty or blank query", () => {
    expect(searchLog(LOG, "  ")).toEqual({ lines: LOG.trimEnd().split("\n"), count: 0 });
  });

  it("finds nothing when nothing matches, and treats the text literally", () => {
    expect(searchLog(LOG, "segfault")).toEqual({ lines: [], count: 0 });
    expect(searchLog("a.b\naxb\n", "a.b").lines).toEqual(["a.b"]);
  });
});
