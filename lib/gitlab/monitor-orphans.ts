import { instanceForRef, recordJobRef, type GitlabInstance } from "./join";
import { jobsWithoutPods, podsWithoutJobs, type LivePod, type OrphanJobInput } from "./orphans";
import type { GitlabProblem } from "./problems";

/**
 * The monitor's GitLab side, pure: what `/api/monitor/gitlab` answers (our runners as GitLab sees
 * them, the GitLab jobs that matter for orphans) and the orphans it makes with the live pod rows.
 * Runs in the browser, where the live pods are.
 */

/** A runner profile of this cluster and namespace that is linked to a runner in GitLab. */
export interface MonitorGitlabRunner {
  profileId: string;
  profileName: string;
  /** The runner Deployment's name (the profile's instance name): how a runner card finds it. */
  instanceName: string;
  namespace: string;
  gitlabConnectionId: string;
  runnerId: number;
  status: {
    online: boolean | null;
    paused: boolean | null;
    contactedAt: string | null;
    version: string | null;
  } | null;
  problem: GitlabProblem | null;
}

/** A GitLab job as the monitor needs it (times ISO strings, as JSON carries them). */
export interface MonitorGitlabJob {
  gitlabConnectionId: string;
  jobId: number;
  status: string;
  runnerId: number | null;
  name: string;
  projectPath: string | null;
  pipelineId: number | null;
  webUrl: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface MonitorGitlabFacts {
  runners: MonitorGitlabRunner[];
  instances: GitlabInstance[];
  /** Jobs running on our runners, and the jobs of the live pods the browser asked about. */
  jobs: MonitorGitlabJob[];
}

/** The live pod row's fields the orphan rules read (a PodSummary fits). */
export interface MonitorPod {
  uid: string;
  name: string;
  namespace: string;
  phase: string;
  deletingAt: number | null;
  createdAt: number | null;
  jobId: string | null;
  projectId: string | null;
  jobUrl: string | null;
}

export interface JobOrphan {
  kind: "jobWithoutPod";
  job: MonitorGitlabJob;
  runningForMs: number;
}

export interface PodOrphan {
  kind: "podWithoutJob";
  job: MonitorGitlabJob;
  pod: MonitorPod;
  finishedForMs: number;
}

// Rows are immutable and kept across stream batches (applyUpdate replaces only the changed ones), so
// each row's job URL is parsed once, not on every batch: at 10,000 rows that was 14 ms per frame.
const jobRefs = new WeakMap<MonitorPod, ReturnType<typeof recordJobRef>>();

function jobRefOf(pod: MonitorPod): ReturnType<typeof recordJobRef> {
  let ref = jobRefs.get(pod);
  if (ref === undefined) {
    ref = recordJobRef(pod);
    jobRefs.set(pod, ref);
  }
  return ref;
}

// Per facts (their instances array), each job URL's GitLab, found once: instanceForJobUrl parses the
// URL and every instance's URL, and at 10,000 rows on every batch that was the page's busiest work
// (URL was 29 % of the page's CPU in the 10,000-pod benchmark, p50 79 ms).
const instancesByJobUrl = new WeakMap<readonly GitlabInstance[], Map<string, GitlabInstance | null>>();

function instanceOf(ref: NonNullable<ReturnType<typeof recordJobRef>>, instances: GitlabInstance[]) {
  if (!ref.jobUrl) return instanceForRef(ref, instances);
  let byUrl = instancesByJobUrl.get(instances);
  if (!byUrl) {
    byUrl = new Map();
    instancesByJobUrl.set(instances, byUrl);
  }
  let instance = byUrl.get(ref.jobUrl);
  if (instance === undefined) {
    instance = instanceForRef(ref, instances);
    byUrl.set(ref.jobUrl, instance);
  }
  return instance;
}

/** The live pods' GitLab job ids, sorted and distinct: what the browser asks the route about. */
export function podJobIds(pods: readonly MonitorPod[]): number[] {
  const ids = new Set<number>();
  for (const pod of pods) {
    const ref = jobRefOf(pod);
    if (ref) ids.add(ref.jobId);
  }
  return [...ids].sort((a, b) => a - b);
}

/**
 * Each live pod's GitLab job, by pod uid: the GitLab its job URL belongs to (join.ts) and the job
 * id, among the jobs the facts carry. What the live row shows beside the pod (status, pipeline).
 */
export function gitlabJobsByPod(
  pods: readonly MonitorPod[],
  facts: MonitorGitlabFacts | undefined,
): Map<string, MonitorGitlabJob> {
  const joined = new Map<string, MonitorGitlabJob>();
  if (!facts) return joined;
  const jobs = new Map(facts.jobs.map((job) => [`${job.gitlabConnectionId} ${job.jobId}`, job]));
  for (const pod of pods) {
    const ref = jobRefOf(pod);
    const instance = ref && instanceOf(ref, facts.instances);
    const job = instance && jobs.get(`${instance.id} ${ref.jobId}`);
    if (job) joined.set(pod.uid, job);
  }
  return joined;
}

/** GitLab's statuses of a job no runner has started yet. */
const NOT_STARTED = new Set(["created", "pending", "waiting_for_resource", "preparing", "scheduled", "manual"]);

/**
 * Whether the facts trail the live rows: a live job pod (Pending or Running, not being deleted)
 * whose GitLab job they do not know yet, or a Running one whose job they still call not started
 * (read before the runner took it; a pod exists only once GitLab gave the job to the runner). The
 * sync pass is about to read it, so the monitor asks sooner.
 */
export function gitlabFactsTrailPods(pods: readonly MonitorPod[], facts: MonitorGitlabFacts | undefined): boolean {
  if (!facts || facts.runners.length === 0) return false;
  const joined = gitlabJobsByPod(pods, facts);
  return pods.some((pod) => {
    if (pod.jobId === null || pod.deletingAt !== null || (pod.phase !== "Pending" && pod.phase !== "Running"))
      return false;
    const job = joined.get(pod.uid);
    return !job || (pod.phase === "Running" && NOT_STARTED.has(job.status));
  });
}

const toDate = (iso: string | null) => (iso ? new Date(iso) : null);

/**
 * Orphans both ways (orphans.ts), per GitLab connection so that job ids of two GitLab instances
 * never meet: a pod is matched to a GitLab by its job URL (join.ts).
 */
export function monitorOrphans(
  pods: readonly MonitorPod[],
  facts: MonitorGitlabFacts,
  now: Date,
): { jobsWithoutPods: JobOrphan[]; podsWithoutJobs: PodOrphan[] } {
  const result = { jobsWithoutPods: [] as JobOrphan[], podsWithoutJobs: [] as PodOrphan[] };
  for (const instance of facts.instances) {
    const jobs = facts.jobs.filter((job) => job.gitlabConnectionId === instance.id);
    const byId = new Map(jobs.map((job) => [job.jobId, job]));
    const inputs = new Map<number, OrphanJobInput>(
      jobs.map((job) => [
        job.jobId,
        {
          jobId: job.jobId,
          status: job.status,
          runnerId: job.runnerId,
          startedAt: toDate(job.startedAt),
          finishedAt: toDate(job.finishedAt),
        },
      ]),
    );
    const podsHere: Array<{ pod: MonitorPod; live: LivePod }> = [];
    for (const pod of pods) {
      const ref = jobRefOf(pod);
      if (!ref || instanceOf(ref, facts.instances)?.id !== instance.id) continue;
      podsHere.push({
        pod,
        live: {
          uid: pod.uid,
          namespace: pod.namespace,
          name: pod.name,
          connectionId: instance.id,
          jobId: ref.jobId,
          alive: (pod.phase === "Pending" || pod.phase === "Running") && pod.deletingAt === null,
          createdAt: pod.createdAt === null ? null : new Date(pod.createdAt),
        },
      });
    }
    const ourRunners = new Set(
      facts.runners.filter((r) => r.gitlabConnectionId === instance.id).map((r) => r.runnerId),
    );
    // A pod seen gone (Vanished) no longer runs the job.
    const present = podsHere.filter(({ pod }) => pod.phase !== "Vanished").map(({ live }) => live);
    for (const orphan of jobsWithoutPods([...inputs.values()], present, ourRunners, now)) {
      result.jobsWithoutPods.push({
        kind: "jobWithoutPod",
        job: byId.get(orphan.jobId)!,
        runningForMs: orphan.runningForMs,
      });
    }
    const uidToPod = new Map(podsHere.map(({ pod }) => [pod.uid, pod]));
    for (const orphan of podsWithoutJobs(
      podsHere.map(({ live }) => live),
      inputs,
      now,
    )) {
      result.podsWithoutJobs.push({
        kind: "podWithoutJob",
        job: byId.get(orphan.jobId)!,
        pod: uidToPod.get(orphan.pod.uid)!,
        finishedForMs: orphan.finishedForMs,
      });
    }
  }
  return result;
}
