import { describe, expect, it } from "vitest";
import { imageIdFor, normalizeImageRef } from "./image-ref";

describe("normalizeImageRef", () => {
  it.each([
    ["nginx", "docker.io/library/nginx:latest"],
    ["nginx:1.27", "docker.io/library/nginx:1.27"],
    ["docker.io/library/nginx:1.27", "docker.io/library/nginx:1.27"],
    ["index.docker.io/library/nginx", "docker.io/library/nginx:latest"],
    ["gitlab/gitlab-runner:v17.11.0", "docker.io/gitlab/gitlab-runner:v17.11.0"],
    ["registry.cn-hangzhou.aliyuncs.com/eci/kaniko:1.0", "registry.cn-hangzhou.aliyuncs.com/eci/kaniko:1.0"],
    ["localhost:5000/app", "localhost:5000/app:latest"],
    ["alpine@sha256:abc", "docker.io/library/alpine@sha256:abc"],
  ])("%s -> %s", (image, expected) => {
    expect(normalizeImageRef(image)).toBe(expected);
  });

  it("builds a digest-style image ID without the tag", () => {
    expect(imageIdFor("nginx:1.27", "ab12")).toBe("docker.io/library/nginx@sha256:ab12");
  });
});
