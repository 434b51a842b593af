import { describe, expect, it } from "vitest";
import { nextPageUrl } from "./pagination";

const current = new URL("https://gitlab.example.com/api/v4/projects/1/jobs?per_page=100&page=1");

describe("nextPageUrl", () => {
  it("follows X-Next-Page", () => {
    expect(nextPageUrl(new Headers({ "x-next-page": "2" }), current)?.href).toBe(
      "https://gitlab.example.com/api/v4/projects/1/jobs?per_page=100&page=2",
    );
  });

  it("stops on an empty X-Next-Page (the last page)", () => {
    expect(nextPageUrl(new Headers({ "x-next-page": "" }), current)).toBeNull();
    expect(nextPageUrl(new Headers(), current)).toBeNull();
  });

  it("prefers the Link header (keyset pagination sends only that)", () => {
    const link =
      '<https://gitlab.example.com/api/v4/projects/1/jobs?id_before=42&per_page=100>; rel="next", <https://gitlab.example.com/api/v4/projects/1/jobs?per_page=100>; rel="first"';
    expect(nextPageUrl(new Headers({ link, "x-next-page": "9" }), current)?.href).toBe(
      "https://gitlab.example.com/api/v4/projects/1/jobs?id_before=42&per_page=100",
    );
  });

  it("ignores a Link header without rel=next", () => {
    const link = '<https://gitlab.example.com/api/v4/projects/1/jobs?page=1>; rel="first"';
    expect(nextPageUrl(new Headers({ link }), current)).toBeNull();
  });

  it("never follows a next link to another server (the token would go with it)", () => {
    const link = '<https://evil.example.net/api/v4/projects/1/jobs?page=2>; rel="next"';
    expect(nextPageUrl(new Headers({ link }), current)).toBeNull();
  });
});
