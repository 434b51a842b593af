import type { IPod } from "kubernetes-models/v1/Pod";
import type { IContainerStatus } from "kubernetes-models/v1/ContainerStatus";
import { safeDecodeURIComponent } from "@/lib/text/untrusted";
import { parseGoDuration } from "./go-duration";

/** A pod as the API server sends it (JSON: timestamps are RFC 3339 strings). */
export type Pod = IPod;

export const JOB_POD_LABEL = "job.runner.gitlab.com/pod";
export const RUNNER_NAME_LABEL = "manager.runner.gitlab.com/name";
export const PROJECT_ID_LABEL = "project.runner.gitlab.com/id";
export const PROJECT_NAME_LABEL = "project.runner.gitlab.com/name";
export const PROJECT_NAMESPACE_LABEL = "project.runner.gitlab.com/namespace";

export const JOB_ANNOTATIONS = {
  id: "job.runner.gitlab.com/id",
  url: "job.runner.gitlab.com/url",
  ref: "job.runner.gitlab.com/ref",
  name: "job.runner.gitlab.com/name",
  sha: "job.runner.gitlab.com/sha",
  timeout: "job.runner.gitlab.com/timeout",
} as const;

/** "Unknown" when the API has not reported a phase yet. */
export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";

const PHASES = new Set(["Pending", "Running", "Succeeded", "Failed"]);

export function podPhase(pod: Pod): PodPhase {
  const phase = pod.status?.phase;
  return phase && PHASES.has(phase) ? (phase as PodPhase) : "Unknown";
}

export function isFinishedPhase(phase: string): boolean {
  return phase === "Succeeded" || phase === "Failed";
}

function allContainerStatuses(pod: Pod): IContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

/**
 * Why the pod is not running as it should: the first container waiting with a reason
 * (ImagePullBackOff, CrashLoopBackOff…), else a container terminated with a non-Completed
 * reason (OOMKilled, Error), else the pod's own reason (Evicted…). null when nothing is wrong.
 */
export function podWaitingReason(pod: Pod): string | null {
  const statuses = allContainerStatuses(pod);
  for (const status of statuses) {
    const reason = status.state?.waiting?.reason;
    if (reason && reason !== "PodInitializing" && reason !== "ContainerCreating") return reason;
  }
  for (const status of statuses) {
    const reason = status.state?.terminated?.reason ?? status.lastState?.terminated?.reason;
    if (reason && reason !== "Completed") return reason;
  }
  const creating = statuses.find((s) => s.state?.waiting?.reason);
  if (creating) return creating.state?.waiting?.reason ?? null;
  const unschedulable = pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
  return pod.status?.reason ?? unschedulable?.reason ?? null;
}

export function podRestarts(pod: Pod): number {
  return allContainerStatuses(pod).reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
}

// Kubernetes did not exist before 2014, and a time past 2200 is a broken clock or a hostile value:
// either would turn a job into a century of billing.
const EARLIEST_MS = Date.UTC(2014, 0, 1);
const LATEST_MS = Date.UTC(2200, 0, 1);

/** The epoch milliseconds when they are a plausible time for a cluster to report, else null. */
export function plausibleTimeMs(ms: number): number | null {
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms < LATEST_MS ? ms : null;
}

/** An RFC 3339 time from the API, or null when absent, unparsable or implausible. */
export function parseTime(value: string | undefined): number | null {
  if (!value) return null;
  return plausibleTimeMs(Date.parse(value));
}

export function podCreatedAt(pod: Pod): number | null {
  return parseTime(pod.metadata?.creationTimestamp);
}

export function podStartedAt(pod: Pod): number | null {
  return parseTime(pod.status?.startTime);
}

/** When the last container terminated, for a Succeeded/Failed pod; null otherwise. */
export function podFinishedAt(pod: Pod): number | null {
  if (!isFinishedPhase(podPhase(pod))) return null;
  const times = allContainerStatuses(pod)
    .map((s) => parseTime(s.state?.terminated?.finishedAt))
    .filter((t): t is number => t !== null);
  return times.length > 0 ? Math.max(...times) : null;
}

/** Milliseconds since creation; -1 when the pod has no creation time. */
export function podAgeMs(pod: Pod, now: number): number {
  const created = podCreatedAt(pod);
  return created === null ? -1 : Math.max(0, now - created);
}

export function isJobPod(pod: Pod): boolean {
  return pod.metadata?.labels?.[JOB_POD_LABEL] !== undefined;
}

/** The runner (config.toml `name`) that created a job pod; null for other pods. */
export function podRunnerName(pod: Pod): string | null {
  return pod.metadata?.labels?.[RUNNER_NAME_LABEL] ?? null;
}

export interface PodJobInfo {
  projectId: string | null;
  /** namespace/name, e.g. "group/app". */
  projectPath: string | null;
  jobId: string | null;
  jobName: string | null;
  jobUrl: string | null;
  ref: string | null;
}

/**
 * The job's timeout in seconds as the runner put it on its pod: the `timeout` annotation (a Go
 * duration), else activeDeadlineSeconds − 1 (the runner sets it to timeout + 1 by default); null
 * when neither is there (not a GitLab Runner job pod, or an older runner).
 */
export function podJobTimeoutSeconds(pod: Pod): number | null {
  const fromAnnotation = parseGoDuration(pod.metadata?.annotations?.[JOB_ANNOTATIONS.timeout]);
  if (fromAnnotation !== null && fromAnnotation > 0) return fromAnnotation;
  const deadline = pod.spec?.activeDeadlineSeconds;
  return typeof deadline === "number" && Number.isFinite(deadline) && deadline > 1 ? deadline - 1 : null;
}

export function podJobInfo(pod: Pod): PodJobInfo {
  const labels = pod.metadata?.labels ?? {};
  const annotations = pod.metadata?.annotations ?? {};
  const jobUrl = safeHttpUrl(annotations[JOB_ANNOTATIONS.url]);
  return {
    projectId: labels[PROJECT_ID_LABEL] ?? annotations["project.runner.gitlab.com/id"] ?? null,
    projectPath: projectPathFromJobUrl(jobUrl) ?? projectPathFromLabels(labels),
    jobId: annotations[JOB_ANNOTATIONS.id] ?? null,
    jobName: annotations[JOB_ANNOTATIONS.name] ?? null,
    jobUrl,
    ref: annotations[JOB_ANNOTATIONS.ref] ?? null,
  };
}

// The job URL (https://gitlab/group/sub/app/-/jobs/42) keeps the real path; labels are
// sanitized to label syntax (lowercased, "/" and other characters replaced, truncated).
function projectPathFromJobUrl(jobUrl: string | null): string | null {
  if (!jobUrl) return null;
  const match = /^\/(.+?)\/-\/jobs\/\d+\/?$/.exec(new URL(jobUrl).pathname);
  // Malformed percent-encoding ("grp%E0%A4%A") is the annotation's fault: fall back to the labels.
  return match ? safeDecodeURIComponent(match[1]) : null;
}

function projectPathFromLabels(labels: Record<string, string>): string | null {
  const name = labels[PROJECT_NAME_LABEL];
  const namespace = labels[PROJECT_NAMESPACE_LABEL];
  if (!name) return null;
  return namespace ? `${namespace}/${name}` : name;
}

// The URL ends up in an <a href>: only http(s), never javascript: from a crafted annotation.
function safeHttpUrl(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}
