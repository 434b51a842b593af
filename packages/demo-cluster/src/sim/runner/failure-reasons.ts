import type { RunnerRelease } from "./release";

/**
 * The runner's failure reasons and what it tells GitLab of them. The runner tracks reasons GitLab
 * may not know (image_pull_failure since 16.1, the configuration error, the external-dependency
 * failure); before the final update it maps each to one the job's GitLab listed in
 * `features.failure_reasons`, else to an older, wider one, else to unknown_failure
 * (common/failure_reason_mapper.go Map; common/network.go failureReasonsCompatibilityMap and
 * alwaysSupportedFailureReasons, v17.11.0 to v19.3.0).
 */
export type RunnerFailureReason =
  | "script_failure"
  | "runner_system_failure"
  | "job_execution_timeout"
  | "image_pull_failure"
  | "configuration_error"
  | "runner_configuration_error"
  | "runner_external_dependency_failure"
  | "job_canceled"
  | "unknown_failure";

/** Sent as they are to any GitLab (alwaysSupportedFailureReasons). */
const ALWAYS_SUPPORTED: readonly string[] = ["script_failure", "runner_system_failure", "job_execution_timeout"];

/** A newer reason and the older one it was split from (failureReasonsCompatibilityMap). */
const COMPATIBLE: Readonly<Record<string, RunnerFailureReason>> = {
  image_pull_failure: "runner_system_failure",
  configuration_error: "script_failure",
  runner_configuration_error: "script_failure",
  runner_external_dependency_failure: "runner_system_failure",
};

/**
 * The reason the final update carries. No reason is a script failure; a reason GitLab lists (or
 * that every GitLab knows) goes as it is; a newer one falls back along the compatibility map;
 * anything else is unknown_failure (so the runner-internal job_canceled reaches a GitLab that
 * does not list it as unknown_failure; GitLab cancels a `canceling` job whatever the reason).
 */
export function reportedFailureReason(
  reason: RunnerFailureReason | "",
  supportedByGitLab: readonly string[],
): RunnerFailureReason {
  if (reason === "") return "script_failure";
  const supported = new Set([...supportedByGitLab, ...ALWAYS_SUPPORTED]);
  // findBackwardCompatible follows the map up to maxMappingDepth (5) steps.
  let candidate: RunnerFailureReason | undefined = reason;
  for (let step = 0; candidate && step <= 5; step++) {
    if (supported.has(candidate)) return candidate;
    candidate = COMPATIBLE[candidate];
  }
  return "unknown_failure";
}

/**
 * ClassifyImagePullFailure (common/classify_image_pull_failure.go, v19.3.0's rules; since
 * v19.1.0): a kubelet's pull message sorted into a network failure, a configuration error (no such
 * image, no access) or the plain image pull failure.
 */
export function classifyImagePullFailure(message: string): RunnerFailureReason {
  const lower = message.toLowerCase();
  const has = (...parts: string[]) => parts.some((part) => lower.includes(part));
  if (
    has(
      "dial tcp",
      "connection refused",
      "no such host",
      "i/o timeout",
      "tls handshake",
      "client.timeout exceeded",
      "request canceled",
      "connection reset",
    )
  )
    return "runner_external_dependency_failure";
  if (has("not found", "manifest unknown")) return "runner_configuration_error";
  if (
    has(
      "pull access denied",
      "access to the resource is denied",
      "no basic auth credentials",
      "repository does not exist or may require",
      "unauthorized",
      "authentication required",
    )
  )
    return "runner_configuration_error";
  return "image_pull_failure";
}

export interface ContainerStatusLike {
  name: string;
  image?: string;
  ready?: boolean;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { exitCode: number; reason?: string } };
  lastState?: { terminated?: { message?: string } };
}

/** A common.BuildError: its text and reason ("" is a BuildError without one, reported as a script failure). */
export interface BuildError {
  error: string;
  reason: RunnerFailureReason | "";
}

/**
 * CheckTerminalContainerErrors (executors/kubernetes/internal/watchers/pod.go) of the runner's
 * release: the first container, in the order given, that can never start, as a BuildError; else
 * undefined (the runner goes on waiting, up to poll_timeout). What counts changed by release:
 * image pulls in all; InvalidImageName's reason since v19.0.0; pull messages classified since
 * v19.1.0; CrashLoopBackOff since v19.2.0; CreateContainerConfigError since v19.3.0.
 */
export function terminalContainerError(
  statuses: readonly ContainerStatusLike[],
  release: Pick<RunnerRelease, "containerErrors">,
): BuildError | undefined {
  const rules = release.containerErrors;
  const configurationError: RunnerFailureReason = rules.configurationErrorName;
  for (const status of statuses) {
    const waiting = status.state?.waiting;
    if (status.ready || !waiting) continue;
    const message = waiting.message ?? "";
    switch (waiting.reason) {
      case "InvalidImageName":
        return {
          error: `image pull failed: ${message}`,
          reason: rules.invalidImageNameIsConfigurationError ? configurationError : "",
        };
      case "ErrImagePull":
      case "ImagePullBackOff": {
        // pull.ImagePullError's text names the image and the container.
        const pullReason = rules.classifiesImagePulls ? classifyImagePullFailure(message) : "image_pull_failure";
        return {
          error: `pulling image "${status.image ?? ""}" for container ${status.name}: image pull failed: ${message}`,
          reason: pullReason === "runner_configuration_error" ? configurationError : pullReason,
        };
      }
      case "CrashLoopBackOff":
        if (!rules.crashLoopBackOff) continue;
        return {
          error: `container "${status.name}" is in CrashLoopBackOff: ${crashLoopMessage(message, status.lastState?.terminated?.message)}`,
          reason: configurationError,
        };
      case "CreateContainerConfigError":
        if (!rules.createContainerConfigError) continue;
        return { error: `container configuration error: ${message}`, reason: configurationError };
    }
  }
  return undefined;
}

/** crashLoopMessage: the back-off message with the last termination's message after it. */
function crashLoopMessage(waiting: string, lastTermination: string | undefined): string {
  if (!lastTermination) return waiting;
  return waiting ? `${waiting}: ${lastTermination}` : lastTermination;
}

/**
 * The line setTraceStatus (common/build.go) writes for a failed job: a BuildError says
 * "Job failed:" unless its own reason is the system failure; any other error is a system failure.
 */
export function jobFailedLine(error: string, buildErrorReason: RunnerFailureReason | "" | undefined): string {
  const system = buildErrorReason === undefined || buildErrorReason === "runner_system_failure";
  return `ERROR: Job failed${system ? " (system failure)" : ""}: ${error}`;
}
