import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The monitor's rows (History, orphans) link to pipeline pages with next/link. Prefetched, each row
 * in view fetched its pipeline page in the background (54 GETs in 2.5 minutes of an e2e run): every
 * such link says prefetch={false}; the page loads when clicked.
 */
const dir = path.join(__dirname);
const sources = fs
  .readdirSync(dir)
  .filter((name) => name.endsWith(".tsx") && !name.includes(".test."))
  .map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), "utf8") }));

function pipelineLinks(text: string): string[] {
  return [...text.matchAll(/<Link\b[^>]*?>/gs)].map((m) => m[0]).filter((tag) => tag.includes("/pipelines/"));
}

describe("monitor pipeline links", () => {
  it("finds the History and orphan rows' links", () => {
    const files = sources.filter((s) => pipelineLinks(s.text).length > 0).map((s) => s.name);
    expect(files).toEqual(expect.arrayContaining(["gitlab-orphans.tsx", "history-tab.tsx"]));
  });

  it("never prefetches a pipeline page", () => {
    for (const { name, text } of sources) {
      for (const tag of pipelineLinks(text)) expect(tag, name).toContain("prefetch={false}");
    }
  });
});
