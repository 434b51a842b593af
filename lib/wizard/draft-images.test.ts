import { describe, expect, it } from "vitest";
import { draftImages } from "./draft-images";

describe("draftImages", () => {
  it("uses the defaults for an empty draft", () => {
    expect(draftImages({})).toEqual({
      runner: "registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v19.3.0",
      helper: "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v19.3.0",
      job: "alpine:3.20",
    });
  });

  it("follows version, flavour and mirror, and keeps a chosen job image", () => {
    const mirror = { registry: "mirror" as const, mirror: "acr.example.com/ci" };
    expect(draftImages({ runnerPod: { version: "v17.11.4", flavour: "ubuntu" }, images: mirror })).toEqual({
      runner: "acr.example.com/ci/gitlab-runner:ubuntu-v17.11.4",
      helper: "acr.example.com/ci/gitlab-runner-helper:x86_64-v17.11.4",
      job: "acr.example.com/ci/alpine:3.20",
    });
    expect(draftImages({ images: mirror, jobPods: { image: "maven:3.9" } }).job).toBe("maven:3.9");
  });

  it("falls back to the defaults while a field is still invalid", () => {
    expect(draftImages({ images: { registry: "mirror", mirror: "not a mirror" } }).runner).toMatch(
      /^registry\.gitlab\.com\//,
    );
  });
});
