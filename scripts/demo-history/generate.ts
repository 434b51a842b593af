import type { JobEnd } from "../../lib/job-history/record";
import {
  JOB_ANNOTATIONS,
  JOB_POD_LABEL,
  PROJECT_ID_LABEL,
  PROJECT_NAME_LABEL,
  PROJECT_NAMESPACE_LABEL,
  RUNNER_NAME_LABEL,
  type Pod,
} from "../../lib/kube/pod";

/**
 * Weeks of plausible CI job pods for the demo's first start, so the cost report has a history to
 * work from on a first run. Pure and seeded: the same options give the same jobs. The projects are
 * the demo GitLab's (packages/demo-gitlab/src/seed); each job pod looks like one the runner's
 * Kubernetes executor creates (labels, annotations, build + helper containers), and finished jobs
 * are recorded through the same code as observed ones (lib/job-history/record.ts).
 */
export interface SeedHistoryOptions {
  days: number;
  now: Date;
  seed: number;
  namespace?: string;
  runnerName?: string;
  /**
   * The demo GitLab's base URL: each pod gets a job URL there, as the runner writes it, so the
   * project path is the real one ("acme/backend/payments-api", not the label's sanitised form) and
   * seeded and live jobs group under the same projects. The job ids do not exist in that GitLab.
   */
  gitlabUrl?: string;
}

interface SeedProject {
  id: number;
  namespace: string;
  name: string;
  /** Jobs on a working day. */
  jobsPerWeekday: number;
  /** The build container's requests (vCPU, GiB): what the runner's config.toml asks for. */
  vcpu: string;
  memory: string;
  jobs: Array<{ name: string; medianMinutes: number }>;
}

export const SEED_PROJECTS: readonly SeedProject[] = [
  {
    id: 1,
    namespace: "eci",
    name: "java-demo",
    jobsPerWeekday: 36,
    vcpu: "2",
    memory: "4Gi",
    jobs: [
      { name: "build", medianMinutes: 9 },
      { name: "test", medianMinutes: 12 },
    ],
  },
  {
    id: 2,
    namespace: "acme/backend",
    name: "payments-api",
    jobsPerWeekday: 54,
    vcpu: "1",
    memory: "2Gi",
    jobs: [
      { name: "lint", medianMinutes: 2 },
      { name: "test", medianMinutes: 8 },
      { name: "build-image", medianMinutes: 6 },
    ],
  },
  {
    id: 3,
    namespace: "acme/web",
    name: "storefront",
    jobsPerWeekday: 30,
    vcpu: "1",
    memory: "2Gi",
    jobs: [
      { name: "install", medianMinutes: 4 },
      { name: "e2e", medianMinutes: 14 },
    ],
  },
  {
    id: 4,
    namespace: "acme/platform",
    name: "infra",
    jobsPerWeekday: 8,
    vcpu: "500m",
    memory: "1Gi",
    jobs: [{ name: "plan", medianMinutes: 3 }],
  },
];

/** mulberry32: a small seeded generator, enough for plausible noise. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;

/** Office hours in China (UTC+8): most pipelines run 01:00–11:00 UTC, a few at any hour. */
function startOfJob(dayStart: number, rand: () => number): number {
  const hour = rand() < 0.85 ? 1 + rand() * 10 : rand() * 24;
  return dayStart + Math.floor(hour * 3_600_000);
}

/** A duration around the median, skewed long as CI durations are (log-normal-ish). */
function durationMs(medianMinutes: number, rand: () => number): number {
  const normal = (rand() + rand() + rand() - 1.5) * 1.2;
  return Math.max(20_000, Math.round(medianMinutes * 60_000 * Math.exp(normal * 0.45)));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function seededJobPods(options: SeedHistoryOptions): Array<{ pod: Pod; end: JobEnd }> {
  const rand = random(options.seed);
  const namespace = options.namespace ?? "gitlab-runner";
  const runner = options.runnerName ?? "demo-runner";
  const today = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate());
  const out: Array<{ pod: Pod; end: JobEnd }> = [];
  let jobId = 900_000;
  for (let day = options.days; day >= 1; day--) {
    const dayStart = today - day * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    const factor = weekday === 0 || weekday === 6 ? 0.2 : 0.8 + rand() * 0.4;
    for (const project of SEED_PROJECTS) {
      const count = Math.round(project.jobsPerWeekday * factor);
      for (let i = 0; i < count; i++) {
        const job = project.jobs[Math.floor(rand() * project.jobs.length)];
        const created = startOfJob(dayStart, rand);
        // ECI bills from the image pull: 15–60 s before the build container starts.
        const started = created + 15_000 + Math.floor(rand() * 45_000);
        const finished = started + durationMs(job.medianMinutes, rand);
        if (finished >= options.now.getTime()) continue;
        const failed = rand() < 0.06;
        jobId += 1;
        const podName = `runner-${runner}-project-${project.id}-concurrent-${i % 4}-${jobId.toString(36)}`;
        const pod: Pod = {
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            uid: `demo-seed-${options.seed}-${jobId}`,
            name: podName,
            namespace,
            creationTimestamp: iso(created) as never,
            labels: {
              [JOB_POD_LABEL]: podName,
              [RUNNER_NAME_LABEL]: runner,
              [PROJECT_ID_LABEL]: String(project.id),
              [PROJECT_NAME_LABEL]: project.name,
              [PROJECT_NAMESPACE_LABEL]: project.namespace.replace(/\//g, "-"),
            },
            annotations: {
              [JOB_ANNOTATIONS.id]: String(jobId),
              [JOB_ANNOTATIONS.name]: job.name,
              [JOB_ANNOTATIONS.ref]: "main",
              ...(options.gitlabUrl
                ? {
                    [JOB_ANNOTATIONS.url]: `${options.gitlabUrl.replace(/\/+$/, "")}/${project.namespace}/${project.name}/-/jobs/${jobId}`,
                  }
                : {}),
            },
          },
          spec: {
            containers: [
              {
                name: "build",
                image: "alpine:3.20",
                resources: { requests: { cpu: project.vcpu, memory: project.memory } },
              },
              {
                name: "helper",
                image: "gitlab-runner-helper",
                resources: { requests: { cpu: "250m", memory: "256Mi" } },
              },
            ],
          },
          status: {
            phase: failed ? "Failed" : "Succeeded",
            startTime: iso(started) as never,
            containerStatuses: ["build", "helper"].map((name) => ({
              name,
              image: name,
              imageID: "",
              ready: false,
              restartCount: 0,
              state: {
                terminated: {
                  exitCode: failed && name === "build" ? 1 : 0,
                  startedAt: iso(started) as never,
                  finishedAt: iso(finished) as never,
                },
              },
            })),
          },
        } as Pod;
        out.push({
          pod,
          end: { kind: "finished", outcome: "unknown", endedAt: new Date(finished), ran: true, reason: null },
        });
      }
    }
  }
  return out;
}
