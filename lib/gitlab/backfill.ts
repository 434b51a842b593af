import type { Pod } from "@/lib/kube/pod";
import { isFinishedStatus } from "./job-status";
import type { GitlabJobColumns } from "./records";

/**
 * Jobs that finished while the dashboard was not watching (down, or the pod came and went between two
 * relists): GitLab knows them, History does not. Pure: which jobs to backfill, and the pod they ran in
 * as far as it can be rebuilt from GitLab's times and the profile's job pod resources, so the record's
 * cost goes through the same billing code as an observed pod.
 */

/** A finished job younger than this may still have its pod, which the recorder will see first. */
export const BACKFILL_AFTER_MS = 5 * 60_000;

export function jobsToBackfill(
  jobs: GitlabJobColumns[],
  recordedJobIds: Set<number>,
  now: Date,
  afterMs = BACKFILL_AFTER_MS,
): GitlabJobColumns[] {
  return jobs.filter(
    (job) =>
      isFinishedStatus(job.status) &&
      // Never started (canceled or skipped while pending): no pod ever ran, nothing was billed.
      job.startedAt !== null &&
      job.finishedAt !== null &&
      now.getTime() - job.finishedAt.getTime() > afterMs &&
      !recordedJobIds.has(job.jobId),
  );
}

export interface ContainerResources {
  cpuRequest?: string;
  cpuLimit?: string;
  memoryRequest?: string;
  memoryLimit?: string;
}

/**
 * The job pod as it most likely was: the profile's build and helper resources, running from GitLab's
 * started_at to finished_at. `uid` is the record's idempotence key (`gitlab:<connection>:<job id>`).
 */
export function reconstructedJobPod(
  job: GitlabJobColumns,
  gitlabConnectionId: string,
  namespace: string,
  resources: { build: ContainerResources; helper: ContainerResources },
  /** The profile's placement labels (ACS's, when its job pods run on ACS), so the job is priced where it ran. */
  placementLabels: Record<string, string> = {},
): Pod {
  const container = (name: string, r: ContainerResources) => ({
    name,
    image: "unknown",
    resources: {
      requests: {
        ...(r.cpuRequest ? { cpu: r.cpuRequest } : {}),
        ...(r.memoryRequest ? { memory: r.memoryRequest } : {}),
      },
      limits: { ...(r.cpuLimit ? { cpu: r.cpuLimit } : {}), ...(r.memoryLimit ? { memory: r.memoryLimit } : {}) },
    },
  });
  const started = job.startedAt!.toISOString();
  const finished = job.finishedAt!.toISOString();
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      uid: `gitlab:${gitlabConnectionId}:${job.jobId}`,
      name: `gitlab-job-${job.jobId}`,
      namespace,
      creationTimestamp: started,
      labels: {
        ...placementLabels,
        "job.runner.gitlab.com/pod": `gitlab-job-${job.jobId}`,
        "project.runner.gitlab.com/id": String(job.projectId),
      },
      annotations: {
        "job.runner.gitlab.com/id": String(job.jobId),
        ...(job.webUrl ? { "job.runner.gitlab.com/url": job.webUrl } : {}),
        ...(job.name ? { "job.runner.gitlab.com/name": job.name } : {}),
        ...(job.ref ? { "job.runner.gitlab.com/ref": job.ref } : {}),
        "project.runner.gitlab.com/id": String(job.projectId),
      },
    },
    spec: { containers: [container("build", resources.build), container("helper", resources.helper)] },
    status: {
      phase: job.status === "success" ? "Succeeded" : "Failed",
      startTime: started,
      containerStatuses: ["build", "helper"].map((name) => ({
        name,
        image: "unknown",
        imageID: "",
        ready: false,
        restartCount: 0,
        state: { terminated: { exitCode: job.status === "success" ? 0 : 1, startedAt: started, finishedAt: finished } },
      })) as unknown as NonNullable<Pod["status"]>["containerStatuses"],
    },
  } as unknown as Pod;
}
