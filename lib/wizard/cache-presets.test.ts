import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CACHE_PRESETS, cacheSnippet } from "./cache-presets";

describe("cache presets", () => {
  it.each(CACHE_PRESETS)("%s: valid YAML whose cache paths are inside the project directory", (preset) => {
    const snippet = parse(cacheSnippet(preset));
    const paths: string[] = snippet.default.cache.paths;
    expect(paths.length).toBeGreaterThan(0);
    // GitLab refuses cache paths outside $CI_PROJECT_DIR: relative, no "..", not absolute.
    for (const path of paths) expect(path).toMatch(/^(?!\/)(?!.*\.\.)[\w./-]+$/);
    expect(snippet.default.cache.key.files.length).toBeGreaterThan(0);
    expect(snippet.build.script).toHaveLength(1);
  });

  it.each([
    ["maven", "MAVEN_OPTS", "-Dmaven.repo.local=$CI_PROJECT_DIR/.m2/repository", ".m2/repository/"],
    ["gradle", "GRADLE_USER_HOME", "$CI_PROJECT_DIR/.gradle", ".gradle/caches/"],
    ["pip", "PIP_CACHE_DIR", "$CI_PROJECT_DIR/.cache/pip", ".cache/pip/"],
  ] as const)("%s points the tool's cache (%s) at a cached path", (preset, variable, value, path) => {
    const snippet = parse(cacheSnippet(preset));
    expect(snippet.variables[variable]).toBe(value);
    expect(snippet.default.cache.paths).toContain(path);
  });

  it("npm passes its cache folder on the command line instead of a variable", () => {
    const snippet = parse(cacheSnippet("npm"));
    expect(snippet.variables).toBeUndefined();
    expect(snippet.build.script[0]).toContain("--cache .npm");
    expect(snippet.default.cache.paths).toEqual([".npm/"]);
  });
});
