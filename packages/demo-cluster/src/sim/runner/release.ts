/**
 * What differs between the GitLab Runner releases the simulated runner claims to be. Every
 * difference is read from gitlab-runner's source at the release tag (see the package README,
 * "Simulated GitLab Runner"); anything not listed here behaves the same in all of them.
 */
export interface RunnerRelease {
  /** "19.3.0" */
  version: string;
  /** The release whose rules are used: the version itself when it is one we read, else the closest below. */
  modelledOn: string;
  /** False when the image's tag is not one of the releases we read (the rules of `modelledOn` apply). */
  exact: boolean;
  /**
   * helpers.ShortenToken: "legacy" keeps the token's first characters after a known prefix
   * (token[5:14] for glrt-, so a t1_ partition stays in), "prefix-stripping" removes
   * glrt-/t1_/glrtr-/glcbt-/GR… prefixes first (reimplemented in v18.2.0, commit 4590753bc).
   */
  shortToken: "legacy" | "prefix-stripping";
  /** glrtr- tokens get their own case (added in v17.11.4 and v18.1.0). */
  glrtrPrefix: boolean;
  /**
   * `gitlab-runner verify` takes --url/--token defaults from CI_SERVER_URL/CI_SERVER_TOKEN
   * (VerifyCommand embeds RunnerCredentials), so an unrelated token in the environment filters
   * every runner out. Fixed in v19.3.0 (commit f31987ef5).
   */
  verifyReadsCredentialsFromEnv: boolean;
  /** RunnerConfig.loadConfig expands $VARS in `token` and `url` (since v18.10.0, commit bd529b275). */
  expandsCredentialsEnv: boolean;
  /** `run` warns about, and skips, runners whose token is empty (RunnerCredentials.HasToken, since v19.1.0). */
  skipsRunnersWithoutToken: boolean;
  /**
   * The poll_timeout error names the pod's last phase: "timed out waiting for pod to start (last
   * phase: Pending)" (executors/kubernetes/util.go waitForPodRunning, since v19.2.0, commit a4d819611).
   */
  pollTimeoutNamesPhase: boolean;
  /**
   * Which waiting containers CheckTerminalContainerErrors (executors/kubernetes/internal/watchers/pod.go)
   * treats as never starting, and with what failure reason (failure-reasons.ts terminalContainerError).
   */
  containerErrors: {
    /** common.ConfigurationError's value: "configuration_error", "runner_configuration_error" since v19.1.0. */
    configurationErrorName: "configuration_error" | "runner_configuration_error";
    /** InvalidImageName carries ConfigurationError (since v19.0.0; before, no reason: a script failure). */
    invalidImageNameIsConfigurationError: boolean;
    /** ErrImagePull's message is classified by ClassifyImagePullFailure (since v19.1.0). */
    classifiesImagePulls: boolean;
    /** CrashLoopBackOff fails the job (since v19.2.0). */
    crashLoopBackOff: boolean;
    /** CreateContainerConfigError fails the job (since v19.3.0). */
    createContainerConfigError: boolean;
  };
}

/** Releases whose source was read for the rules above, newest first. */
export const MODELLED_VERSIONS = ["19.3.0", "19.2.2", "19.1.2", "19.0.3", "18.11.4", "17.11.4"] as const;

type Version = [number, number, number];

function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function atLeast(v: Version, major: number, minor: number, patch = 0): boolean {
  if (v[0] !== major) return v[0] > major;
  if (v[1] !== minor) return v[1] > minor;
  return v[2] >= patch;
}

/**
 * The release a runner image claims, from its tag: `v19.3.0`, `alpine-v19.3.0`,
 * `ubuntu-v18.11.4`, `alpine3.21-v19.3.0`. Undefined for `latest` and other tags without a version.
 */
export function versionOfImage(image: string): string | undefined {
  const tag = image.split("@")[0].split("/").pop()?.split(":")[1];
  const match = tag ? /^(?:[a-z][a-z0-9.]*-)?v(\d+\.\d+\.\d+)$/.exec(tag) : null;
  return match?.[1];
}

/**
 * The rules for a version. A version we did not read gets the rules of the nearest release below
 * it (or the newest for a newer one, the oldest for an older one), with `exact: false` so the
 * runner can say so in its log.
 */
export function runnerRelease(version: string | undefined): RunnerRelease {
  const parsed = version ? parseVersion(version) : undefined;
  const newest = parseVersion(MODELLED_VERSIONS[0])!;
  const v = parsed ?? newest;
  const modelledOn =
    MODELLED_VERSIONS.find((m) => {
      const candidate = parseVersion(m)!;
      return atLeast(v, ...candidate);
    }) ?? MODELLED_VERSIONS[MODELLED_VERSIONS.length - 1];
  // The thresholds are the releases where each behaviour changed (git history of the files
  // named above), so they apply to versions between the ones read too.
  return {
    version: parsed ? parsed.join(".") : MODELLED_VERSIONS[0],
    modelledOn,
    exact: parsed !== undefined && (MODELLED_VERSIONS as readonly string[]).includes(parsed.join(".")),
    shortToken: atLeast(v, 18, 2) ? "prefix-stripping" : "legacy",
    glrtrPrefix: atLeast(v, 18, 1) || (v[0] === 17 && v[1] === 11 && v[2] >= 4),
    verifyReadsCredentialsFromEnv: !atLeast(v, 19, 3),
    expandsCredentialsEnv: atLeast(v, 18, 10),
    skipsRunnersWithoutToken: atLeast(v, 19, 1),
    pollTimeoutNamesPhase: atLeast(v, 19, 2),
    containerErrors: {
      configurationErrorName: atLeast(v, 19, 1) ? "runner_configuration_error" : "configuration_error",
      invalidImageNameIsConfigurationError: atLeast(v, 19, 0),
      classifiesImagePulls: atLeast(v, 19, 1),
      crashLoopBackOff: atLeast(v, 19, 2),
      createContainerConfigError: atLeast(v, 19, 3),
    },
  };
}
