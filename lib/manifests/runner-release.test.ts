import { describe, expect, it } from "vitest";
import {
  DEFAULT_RUNNER_VERSION,
  RUNNER_VERSIONS,
  defaultJobImageFor,
  helperImageFor,
  parseRunnerImage,
  runnerImageFor,
  runnerUser,
  supportedVersionFor,
} from "./runner-release";

describe("runner releases", () => {
  it("defaults to the newest listed release, v19.3.0 or later (the first whose verify ignores CI_SERVER_TOKEN)", () => {
    expect(DEFAULT_RUNNER_VERSION).toBe(RUNNER_VERSIONS[0]);
    const [major, minor] = DEFAULT_RUNNER_VERSION.slice(1).split(".").map(Number);
    expect(major * 100 + minor).toBeGreaterThanOrEqual(1903);
  });

  it.each([
    ["gitlab", "alpine", "registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v19.3.0"],
    ["gitlab", "ubuntu", "registry.gitlab.com/gitlab-org/gitlab-runner:ubuntu-v19.3.0"],
    ["dockerhub", "alpine", "gitlab/gitlab-runner:alpine-v19.3.0"],
  ] as const)("runner image from %s, %s flavour", (registry, flavour, image) => {
    expect(runnerImageFor("v19.3.0", flavour, { registry })).toBe(image);
  });

  it("pairs the helper of the same version from the same registry", () => {
    expect(helperImageFor("v18.11.4", { registry: "gitlab" })).toBe(
      "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v18.11.4",
    );
    expect(helperImageFor("v18.11.4", { registry: "dockerhub" })).toBe("gitlab/gitlab-runner-helper:x86_64-v18.11.4");
    expect(helperImageFor("v18.11.4", { registry: "mirror", mirror: "acr.example.com/ci/" })).toBe(
      "acr.example.com/ci/gitlab-runner-helper:x86_64-v18.11.4",
    );
  });

  it("takes the default job image from a mirror only", () => {
    expect(defaultJobImageFor({ registry: "gitlab" })).toBe("alpine:3.20");
    expect(defaultJobImageFor({ registry: "mirror", mirror: "acr.example.com/ci" })).toBe(
      "acr.example.com/ci/alpine:3.20",
    );
  });

  it("runs as each flavour's own gitlab-runner user", () => {
    expect(runnerUser("alpine")).toEqual({ runAsUser: 100, fsGroup: 65533 });
    expect(runnerUser("ubuntu")).toEqual({ runAsUser: 999, fsGroup: 999 });
  });

  it.each([
    ["gitlab/gitlab-runner:v17.11.0", { version: "v17.11.0", flavour: "ubuntu", source: { registry: "dockerhub" } }],
    [
      "registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v19.3.0",
      { version: "v19.3.0", flavour: "alpine", source: { registry: "gitlab" } },
    ],
    [
      "acr.example.com/ci/gitlab-runner:ubuntu-v18.11.4",
      { version: "v18.11.4", flavour: "ubuntu", source: { registry: "mirror", mirror: "acr.example.com/ci" } },
    ],
    ["gitlab/gitlab-runner:latest", undefined],
    ["gitlab-runner:v17.11.0", undefined],
  ])("reads %s back", (image, parsed) => expect(parseRunnerImage(image)).toEqual(parsed));

  it("maps an unlisted release to the listed patch of its minor, else the default", () => {
    expect(supportedVersionFor("v17.11.0")).toBe("v17.11.4");
    expect(supportedVersionFor("v19.2.0")).toBe("v19.2.2");
    expect(supportedVersionFor("v16.11.0")).toBe(DEFAULT_RUNNER_VERSION);
  });
});

describe("reading an image back", () => {
  it("reads only release images: whole version, exact end, Docker Hub by either name, spaces trimmed", () => {
    const dockerhub = { version: "v17.11.10", flavour: "alpine", source: { registry: "dockerhub" } };
    expect(parseRunnerImage("gitlab/gitlab-runner:alpine-v17.11.10")).toEqual(dockerhub);
    expect(parseRunnerImage("docker.io/gitlab/gitlab-runner:alpine-v17.11.10")).toEqual(dockerhub);
    expect(parseRunnerImage(" gitlab/gitlab-runner:alpine-v17.11.10 ")).toEqual(dockerhub);
    expect(parseRunnerImage("gitlab/gitlab-runner:v17.11.0-rc1")).toBeUndefined();
  });

  it("maps a version that is not one to the default", () => {
    expect(supportedVersionFor("latest")).toBe(DEFAULT_RUNNER_VERSION);
  });

  it("ignores a mirror left over after switching back to a public registry", () => {
    expect(defaultJobImageFor({ registry: "dockerhub", mirror: "registry.example.com/acme" })).toBe("alpine:3.20");
  });
});
