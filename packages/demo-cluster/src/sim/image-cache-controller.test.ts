import { describe, expect, it } from "vitest";
import type { KubeObject } from "../types";
import { IMAGE_CACHE } from "./kinds";
import { simulate } from "./testing/harness";

const cache = (name: string, images: string[], extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "eci.alibabacloud.com/v1",
  kind: "ImageCache",
  metadata: { name },
  spec: { images, ...extra },
});

describe("ImageCache controller", () => {
  it("goes Pending -> Creating -> Ready a few seconds apart, with an imageCacheId and events", () => {
    const h = simulate({ seed: 4 });
    h.store.create(cache("tools", ["alpine:3.20", "registry.example.com/tools:1"], { retentionDays: 7 }));
    const phases: string[] = [];
    h.store.subscribe(({ object }) => {
      const phase = (object.status as { phase?: string } | undefined)?.phase;
      if (object.kind === "ImageCache" && phase && phases.at(-1) !== phase) phases.push(phase);
    });
    h.clock.advance(0);
    const pendingAt = h.clock.now();
    expect(h.clock.advanceUntil(() => phases.includes("Ready"), 30_000, 100)).toBe(true);
    expect(phases).toEqual(["Pending", "Creating", "Ready"]);
    expect(h.clock.now() - pendingAt).toBeGreaterThanOrEqual(4000);
    const status = h.store.get(IMAGE_CACHE, undefined, "tools")?.status as Record<string, unknown>;
    expect(status).toMatchObject({
      phase: "Ready",
      progress: "100%",
      images: ["alpine:3.20", "registry.example.com/tools:1"],
    });
    expect(status.imageCacheId).toMatch(/^imc-[a-z0-9]{20}$/);
    expect(status.expireDateTime).toBeTruthy();
    expect(h.eventsFor("tools").map((e) => e.reason)).toEqual(["ImageCacheCreating", "ImageCacheCreated"]);
    expect(h.errors).toEqual([]);
  });

  it("fails a cache whose image cannot be pulled", () => {
    const h = simulate();
    h.store.create(cache("broken", ["example.com/does-not-exist:1"]));
    h.clock.advance(30_000);
    expect((h.store.get(IMAGE_CACHE, undefined, "broken")?.status as { phase: string }).phase).toBe("Failed");
    expect(h.eventsFor("broken").find((e) => e.type === "Warning")?.reason).toBe("ImageCacheFailed");
  });
});
