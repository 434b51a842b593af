import { describe, expect, it } from "vitest";
import { podTemplateHash } from "./pod-template-hash";

describe("podTemplateHash", () => {
  const template = {
    metadata: { labels: { app: "web", tier: "front" } },
    spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
  };

  it("ignores key order and uses the safe alphabet", () => {
    const reordered = {
      spec: { containers: [{ image: "nginx:1.27", name: "web" }] },
      metadata: { labels: { tier: "front", app: "web" } },
    };
    expect(podTemplateHash(reordered)).toBe(podTemplateHash(template));
    expect(podTemplateHash(template)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it("changes with the template and with the collision count", () => {
    const changed = { ...template, spec: { containers: [{ name: "web", image: "nginx:1.28" }] } };
    expect(podTemplateHash(changed)).not.toBe(podTemplateHash(template));
    expect(podTemplateHash(template, 1)).not.toBe(podTemplateHash(template));
  });
});
