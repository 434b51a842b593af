import { describe, expect, it } from "vitest";
import { requestIdOf } from "./request-id";
import { routeMatcher } from "./route-label";

const matcher = routeMatcher({
  staticRoutes: [
    { page: "/", regex: "^/(?:/)?$" },
    { page: "/login", regex: "^/login(?:/)?$" },
    { page: "/readyz", regex: "^/readyz(?:/)?$" },
  ],
  dynamicRoutes: [
    { page: "/api/monitor/pods/[namespace]/[name]", regex: "^/api/monitor/pods/([^/]+?)/([^/]+?)(?:/)?$" },
    { page: "/clusters/[id]", regex: "^/clusters/([^/]+?)(?:/)?$" },
  ],
});

describe("routeMatcher", () => {
  it.each([
    ["/", "/"],
    ["/login/", "/login"],
    ["/readyz", "/readyz"],
    ["/api/monitor/pods/gitlab-runner/runner-abc-project-1-concurrent-0", "/api/monitor/pods/[namespace]/[name]"],
    ["/clusters/ckx1", "/clusters/[id]"],
    ["/_next/static/chunks/app.js", "/_next/static"],
    ["/_next/image", "/_next"],
    ["/wp-admin/setup.php", "(unmatched)"],
  ])("%s → %s", (path, route) => {
    expect(matcher(path)).toBe(route);
  });
});

describe("requestIdOf", () => {
  it("keeps a plain id from the load balancer and replaces anything else", () => {
    expect(requestIdOf("7f3c-aa01")).toBe("7f3c-aa01");
    expect(requestIdOf(["abc", "def"])).toBe("abc");
    for (const bad of [undefined, "", "a b", "x".repeat(200), "<script>"]) {
      expect(requestIdOf(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });
});
