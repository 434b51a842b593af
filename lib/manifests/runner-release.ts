/**
 * The GitLab Runner releases ask-ci deploys, and the image references and user ids that go with
 * them. Facts from gitlab-runner's own source (docs/manifests.md "Runner versions" cites them):
 * - tags: `alpine-v<version>` / `ubuntu-v<version>` for the runner, `x86_64-v<version>` for the
 *   (Alpine) helper, pushed to registry.gitlab.com/gitlab-org/gitlab-runner and to Docker Hub's
 *   gitlab/gitlab-runner (scripts/pusher/{runner,helper}-images.json, .gitlab/ci/release.gitlab-ci.yml);
 * - the Alpine image's gitlab-runner user is uid 100 in group 65533 (the chart's default
 *   securityContext), the Ubuntu image's is 999/999 (docs/install/kubernetes_helm_chart_configuration.md).
 */

/**
 * Newest first. The last patch of every 19.x minor and of the last 18.x and 17.x minors: GitLab
 * asks for the runner's major.minor to match the GitLab server's (docs/_index.md "GitLab Runner
 * versions"), so self-managed GitLab 17.11/18.11 users need those.
 */
export const RUNNER_VERSIONS = ["v19.3.0", "v19.2.2", "v19.1.2", "v19.0.3", "v18.11.4", "v17.11.4"] as const;
export type RunnerVersion = (typeof RUNNER_VERSIONS)[number];
export const DEFAULT_RUNNER_VERSION: RunnerVersion = "v19.3.0";

/** Alpine is what GitLab's Helm chart runs by default; Ubuntu (glibc) for jobs that need it. */
export const RUNNER_FLAVOURS = ["alpine", "ubuntu"] as const;
export type RunnerFlavour = (typeof RUNNER_FLAVOURS)[number];

/**
 * Where the runner, its helper and (for a mirror) the default job image are pulled from.
 * Mainland-China regions often cannot reach Docker Hub (or registry.gitlab.com): a user's own ACR
 * mirror holds copies under one namespace.
 */
export const IMAGE_REGISTRIES = ["gitlab", "dockerhub", "mirror"] as const;
export type ImageRegistry = (typeof IMAGE_REGISTRIES)[number];

export interface ImageSource {
  registry: ImageRegistry;
  /** "registry.cn-hangzhou.aliyuncs.com/acme": required for "mirror", ignored otherwise. */
  mirror?: string;
}

export const DEFAULT_JOB_IMAGE = "alpine:3.20";

const REPOSITORIES: Record<Exclude<ImageRegistry, "mirror">, { runner: string; helper: string }> = {
  gitlab: {
    runner: "registry.gitlab.com/gitlab-org/gitlab-runner",
    helper: "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper",
  },
  dockerhub: { runner: "gitlab/gitlab-runner", helper: "gitlab/gitlab-runner-helper" },
};

function repositories(source: ImageSource): { runner: string; helper: string } {
  if (source.registry !== "mirror") return REPOSITORIES[source.registry];
  const prefix = (source.mirror ?? "").replace(/\/+$/, "");
  return { runner: `${prefix}/gitlab-runner`, helper: `${prefix}/gitlab-runner-helper` };
}

export function runnerImageFor(version: RunnerVersion, flavour: RunnerFlavour, source: ImageSource): string {
  return `${repositories(source).runner}:${flavour}-${version}`;
}

/** The runner's own default helper flavour (alpine, no prefix in the tag) for x86_64, same version. */
export function helperImageFor(version: RunnerVersion, source: ImageSource): string {
  return `${repositories(source).helper}:x86_64-${version}`;
}

/** alpine:3.20, or its copy in the user's mirror. */
export function defaultJobImageFor(source: ImageSource): string {
  return source.registry === "mirror" && source.mirror
    ? `${source.mirror.replace(/\/+$/, "")}/${DEFAULT_JOB_IMAGE}`
    : DEFAULT_JOB_IMAGE;
}

/** The gitlab-runner user of each image flavour; running as it makes HOME and file ownership match. */
export function runnerUser(flavour: RunnerFlavour): { runAsUser: number; fsGroup: number } {
  return flavour === "alpine" ? { runAsUser: 100, fsGroup: 65533 } : { runAsUser: 999, fsGroup: 999 };
}

export interface ParsedRunnerImage {
  version: string;
  flavour: RunnerFlavour;
  source: ImageSource;
}

/**
 * A settings file or stored profile from before the version picker names the runner image
 * directly (gitlab/gitlab-runner:v17.11.0). This reads version, flavour and registry back from it;
 * undefined for something that is not a gitlab-runner release image.
 */
export function parseRunnerImage(image: string): ParsedRunnerImage | undefined {
  const match = /^(?:(.+)\/)?gitlab-runner:(?:(alpine|ubuntu)-)?(v\d+\.\d+\.\d+)$/.exec(image.trim());
  if (!match) return undefined;
  const [, prefix = "", flavourTag, version] = match;
  // The untagged flavour ("v17.11.0", "latest") is the Ubuntu image (runner-images.json).
  const flavour: RunnerFlavour = flavourTag === "alpine" ? "alpine" : "ubuntu";
  if (prefix === "gitlab" || prefix === "docker.io/gitlab")
    return { version, flavour, source: { registry: "dockerhub" } };
  if (prefix === "registry.gitlab.com/gitlab-org") return { version, flavour, source: { registry: "gitlab" } };
  if (!prefix.includes("/")) return undefined;
  return { version, flavour, source: { registry: "mirror", mirror: prefix } };
}

/**
 * The supported release to use for a version that is not listed: the same minor's listed patch
 * (v17.11.0 → v17.11.4), else the default.
 */
export function supportedVersionFor(version: string): RunnerVersion {
  const minor = /^v(\d+\.\d+)\./.exec(version)?.[1];
  return RUNNER_VERSIONS.find((v) => v.startsWith(`v${minor}.`)) ?? DEFAULT_RUNNER_VERSION;
}
