import { parseCiConfig, type JobDefinition } from "./ci-config";
import { applyRules, refFilterMatches } from "./ci-rules";
import { iso, type Instance } from "./instance";
import type { Job, JobStatus, Pipeline, Project, Runner, RunnerManager } from "./model";
import { digest, newJobToken } from "./secrets";
import { CANCELABLE, compositeStatus, isCompleted, runsAfter } from "./status";
import type { Store } from "./store";
import { pipelineVariables, type PipelineContext } from "./variables";

/** Project default job timeout (GitLab's build_timeout default: 1 hour). */
export const DEFAULT_JOB_TIMEOUT = 3600;
/**
 * GitLab's stuck-job cleanup (18.x; docs/demo-gitlab.md, "Stuck jobs"): jobs nobody moves on any
 * more fail with `stuck_or_timeout_failure` once their row has not changed for this long.
 */
export interface StuckJobTimeouts {
  /** Ci::StuckBuilds::DropRunningService BUILD_RUNNING_OUTDATED_TIMEOUT: 1 hour. */
  runningMs: number;
  /** Ci::StuckBuilds::DropPendingService BUILD_PENDING_OUTDATED_TIMEOUT: 1 day. */
  pendingMs: number;
  /** Ci::StuckBuilds::DropCancelingService TIMEOUT: 1 hour (a graceful cancel its runner never ends). */
  cancelingMs: number;
}

export const STUCK_JOB_TIMEOUTS: StuckJobTimeouts = {
  runningMs: 60 * 60_000,
  pendingMs: 24 * 60 * 60_000,
  cancelingMs: 60 * 60_000,
};

/** Failure reasons a runner may report (Ci::Build failure_reason enum, the runner's list). */
export const RUNNER_FAILURE_REASONS = new Set([
  "unknown_failure",
  "script_failure",
  "api_failure",
  "stuck_or_timeout_failure",
  "runner_system_failure",
  "missing_dependency_failure",
  "runner_unsupported",
  "job_execution_timeout",
  "archived_failure",
  "unmet_prerequisites",
  "scheduler_failure",
  "data_integrity_failure",
  "image_pull_failure",
  "runner_configuration_error",
  "runner_external_dependency_failure",
  "runner_interrupted",
  "job_canceled",
]);

export interface CiEvents {
  jobChanged(job: Job): void;
  pipelineChanged(pipeline: Pipeline): void;
  /** A job became pending: the queues of the runners that may take it tick (X-GitLab-Last-Update). */
  jobQueued(job: Job): void;
}

export interface CreatePipelineInput {
  ref: string;
  source: Pipeline["source"];
  userId: number;
  variables?: Record<string, string>;
  /** Defaults to the ref's newest commit. */
  sha?: string;
}

export type CreatePipelineResult =
  | { ok: true; pipeline: Pipeline }
  | { ok: false; reason: "ref" | "config" | "empty" | "filtered"; errors: string[]; pipeline?: Pipeline };

/**
 * Pipelines and jobs through their life, as GitLab's CI services move them: CreatePipelineService,
 * AtomicProcessingService + ProcessBuildService (which job runs next), the job state machine
 * (enqueue, run, drop, cancel, retry, play) and the pipeline status from its latest jobs.
 */
export class CiEngine {
  constructor(
    private readonly store: Store,
    private readonly instance: Instance,
    private readonly now: () => number,
    private readonly events: CiEvents,
    private readonly stuck: StuckJobTimeouts = STUCK_JOB_TIMEOUTS,
  ) {}

  context(project: Project, pipeline: PipelineContext["pipeline"], userId: number): PipelineContext {
    const group = this.store.group(project.namespaceId);
    const ancestry = this.store.groupAncestry(project.namespaceId);
    return {
      instance: this.instance,
      project,
      projectPath: this.store.projectFullPath(project),
      namespacePath: group?.fullPath ?? "",
      rootNamespacePath: ancestry.at(-1)?.path ?? "",
      pipeline,
      commit: project.commits.find((c) => c.sha === pipeline.sha),
      user: this.store.user(userId),
      protectedRef: pipeline.ref === project.defaultBranch,
    };
  }

  createPipeline(project: Project, input: CreatePipelineInput): CreatePipelineResult {
    if (!project.branches.includes(input.ref)) {
      return { ok: false, reason: "ref", errors: ["Reference not found"] };
    }
    const head = [...project.commits].reverse().find((c) => c.ref === input.ref) ?? project.commits.at(-1);
    const sha = input.sha ?? head?.sha ?? "0".repeat(40);
    const commit = project.commits.find((c) => c.sha === sha);
    const now = iso(this.now());
    const draft: Pipeline = {
      id: 0,
      iid: 0,
      projectId: project.id,
      sha,
      beforeSha: commit?.parentSha ?? "0".repeat(40),
      ref: input.ref,
      tag: false,
      status: "created",
      source: input.source,
      userId: input.userId,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
      variables: input.variables ?? {},
      yamlErrors: null,
      stages: [],
    };
    const source = project.files[".gitlab-ci.yml"];
    if (source === undefined) return { ok: false, reason: "config", errors: ["Missing CI config file"] };
    const parsed = parseCiConfig(source);
    if (!parsed.ok) {
      // Pushes and schedules keep a failed pipeline showing the error; the API refuses instead.
      if (input.source === "api" || input.source === "web")
        return { ok: false, reason: "config", errors: parsed.errors };
      const pipeline = this.insertPipeline(draft);
      pipeline.status = "failed";
      pipeline.yamlErrors = parsed.errors.join(", ");
      pipeline.finishedAt = now;
      this.store.changed();
      this.events.pipelineChanged(pipeline);
      return { ok: false, reason: "config", errors: parsed.errors, pipeline };
    }
    const config = parsed.config;
    const variables = {
      ...config.variables,
      ...project.variables,
      ...draft.variables,
      ...pipelineVariables(this.context(project, draft, input.userId)),
    };
    try {
      if (config.workflowRules && applyRules(config.workflowRules, "always", variables).when === "never") {
        return { ok: false, reason: "filtered", errors: ["Pipeline filtered out by workflow rules."] };
      }
      const selected: {
        def: JobDefinition;
        when: Job["when"];
        allowFailure: boolean;
        variables: Record<string, string>;
      }[] = [];
      for (const def of config.jobs) {
        if (def.only && !refFilterMatches(def.only, input.ref, false, input.source)) continue;
        if (def.except && refFilterMatches(def.except, input.ref, false, input.source)) continue;
        if (def.rules) {
          const outcome = applyRules(def.rules, def.when, { ...variables, ...def.variables });
          if (outcome.when === "never") continue;
          selected.push({
            def,
            when: outcome.when,
            allowFailure: outcome.allowFailure ?? (outcome.when === "manual" ? true : def.allowFailure),
            variables: { ...def.variables, ...outcome.variables },
          });
        } else if (def.when !== "never") {
          selected.push({ def, when: def.when, allowFailure: def.allowFailure, variables: def.variables });
        }
      }
      if (selected.length === 0) {
        return {
          ok: false,
          reason: "empty",
          errors: [
            "Pipeline will not run for the selected trigger. The rules configuration prevented any jobs from being added to the pipeline.",
          ],
        };
      }
      const names = new Set(selected.map((s) => s.def.name));
      const pipeline = this.insertPipeline(draft);
      pipeline.stages = config.stages.filter((stage) => selected.some((s) => s.def.stage === stage));
      for (const { def, when, allowFailure, variables: jobVars } of selected) {
        this.store.data.jobs.push({
          id: this.store.nextId("job", 1000),
          projectId: project.id,
          pipelineId: pipeline.id,
          name: def.name,
          stage: def.stage,
          stageIdx: pipeline.stages.indexOf(def.stage),
          status: "created",
          when,
          allowFailure,
          // Needs on jobs that rules dropped are dropped too (optional needs are the only legal case on GitLab).
          needs: def.needs ? def.needs.filter((n) => names.has(n)) : null,
          image: def.image,
          services: def.services,
          tags: def.tags,
          variables: { ...config.variables, ...jobVars },
          beforeScript: def.beforeScript,
          script: def.script,
          afterScript: def.afterScript,
          timeout: def.timeout ?? DEFAULT_JOB_TIMEOUT,
          retryMax: def.retryMax,
          retryWhen: def.retryWhen,
          artifacts: def.artifacts,
          cache: def.cache,
          retried: false,
          userId: input.userId,
          createdAt: now,
          queuedAt: null,
          startedAt: null,
          heartbeatAt: null,
          finishedAt: null,
          erasedAt: null,
          runnerId: null,
          runnerManagerSystemId: null,
          tokenDigest: null,
          traceSize: 0,
          failureReason: null,
          exitCode: null,
          coverage: null,
        });
      }
      for (const job of this.store.pipelineJobs(pipeline.id)) this.events.jobChanged(job);
      this.events.pipelineChanged(pipeline);
      this.process(pipeline);
      return { ok: true, pipeline };
    } catch (e) {
      return { ok: false, reason: "config", errors: [(e as Error).message] };
    }
  }

  private insertPipeline(draft: Pipeline): Pipeline {
    const pipeline: Pipeline = {
      ...draft,
      id: this.store.nextId("pipeline", 100),
      iid: this.store.nextId(`pipeline-iid-${draft.projectId}`),
    };
    this.store.data.pipelines.push(pipeline);
    const project = this.store.project(draft.projectId);
    if (project) project.lastActivityAt = draft.createdAt;
    this.store.changed();
    return pipeline;
  }

  /** Moves every job whose prerequisites are complete, until nothing changes; then the pipeline status. */
  process(pipeline: Pipeline): void {
    for (let changed = true; changed;) {
      changed = false;
      const jobs = this.store.pipelineJobs(pipeline.id);
      for (const job of jobs.filter((j) => j.status === "created")) {
        const dag = job.needs !== null;
        const prerequisites = dag
          ? jobs.filter((j) => job.needs!.includes(j.name))
          : jobs.filter((j) => j.stageIdx < job.stageIdx);
        const status = prerequisites.length === 0 ? "success" : compositeStatus(prerequisites, dag)!;
        if (!isCompleted(status as JobStatus)) continue;
        if (runsAfter(job.when, dag, status)) {
          if (job.when === "manual") this.transition(job, "manual");
          else {
            this.enqueue(job);
          }
        } else {
          this.transition(job, "skipped");
        }
        changed = true;
      }
    }
    this.updatePipelineStatus(pipeline);
  }

  private enqueue(job: Job): void {
    job.queuedAt = iso(this.now());
    this.transition(job, "pending");
    this.events.jobQueued(job);
  }

  private transition(job: Job, status: JobStatus): void {
    if (job.status === status) return;
    job.status = status;
    // The cancel request updates the row (updated_at), which is what DropCancelingService measures.
    if (status === "canceling") job.heartbeatAt = iso(this.now());
    if (isCompleted(status) && !job.finishedAt && status !== "skipped") job.finishedAt = iso(this.now());
    this.store.changed();
    this.events.jobChanged(job);
  }

  updatePipelineStatus(pipeline: Pipeline): void {
    const jobs = this.store.pipelineJobs(pipeline.id);
    if (jobs.length === 0) return;
    const status = compositeStatus(jobs) ?? "created";
    const now = iso(this.now());
    if (status === "running" && !pipeline.startedAt) pipeline.startedAt = now;
    if (status === pipeline.status) return;
    pipeline.status = status;
    pipeline.updatedAt = now;
    if (!pipeline.startedAt && jobs.some((j) => j.startedAt)) pipeline.startedAt = now;
    pipeline.finishedAt = isCompleted(status as JobStatus) ? now : null;
    this.store.changed();
    this.events.pipelineChanged(pipeline);
  }

  /** Pipeline duration as GitLab computes it: the union of its jobs' running periods, in seconds. */
  pipelineDuration(pipeline: Pipeline): number | null {
    const periods = this.store
      .pipelineJobs(pipeline.id)
      .filter((j) => j.startedAt)
      .map((j) => [Date.parse(j.startedAt!), j.finishedAt ? Date.parse(j.finishedAt) : this.now()] as const)
      .sort((a, b) => a[0] - b[0]);
    if (periods.length === 0 || !pipeline.finishedAt) return null;
    let total = 0;
    let [start, end] = periods[0];
    for (const [s, e] of periods.slice(1)) {
      if (s > end) {
        total += end - start;
        [start, end] = [s, e];
      } else end = Math.max(end, e);
    }
    total += end - start;
    return Math.round(total / 1000);
  }

  // Runner side

  /** Jobs this runner may take, oldest first (Ci::Queue::BuildQueueService: by id for own runners). */
  pendingJobsFor(runner: Runner): Job[] {
    return this.store.data.jobs
      .filter((job) => job.status === "pending" && !job.retried && this.runnerCanPick(runner, job))
      .sort((a, b) => a.id - b.id);
  }

  runnerCanPick(runner: Runner, job: Job): boolean {
    if (runner.paused) return false;
    const project = this.store.project(job.projectId);
    if (!project) return false;
    if (runner.runnerType === "project_type" && !runner.projectIds.includes(project.id)) return false;
    if (runner.runnerType === "group_type") {
      const ancestry = this.store.groupAncestry(project.namespaceId).map((g) => g.id);
      if (runner.groupId === null || !ancestry.includes(runner.groupId)) return false;
    }
    if (runner.accessLevel === "ref_protected") {
      const pipeline = this.store.pipeline(job.pipelineId);
      if (pipeline?.ref !== project.defaultBranch) return false;
    }
    if (job.tags.length === 0) return runner.runUntagged;
    return job.tags.every((tag) => runner.tags.includes(tag));
  }

  /** The runner takes the job: running, with a fresh job token (returned once, kept as a digest). */
  assign(job: Job, runner: Runner, manager: RunnerManager): string {
    const token = newJobToken();
    const now = iso(this.now());
    job.runnerId = runner.id;
    job.runnerManagerSystemId = manager.systemId;
    job.tokenDigest = digest(token);
    job.startedAt = now;
    job.heartbeatAt = now;
    if (runner.maximumTimeout && runner.maximumTimeout < job.timeout) job.timeout = runner.maximumTimeout;
    this.transition(job, "running");
    const pipeline = this.store.pipeline(job.pipelineId);
    if (pipeline) this.updatePipelineStatus(pipeline);
    return token;
  }

  /** The runner's final word (PUT /jobs/:id with state success or failed). */
  finish(job: Job, state: "success" | "failed", failureReason: string | null, exitCode: number | null): void {
    job.exitCode = exitCode;
    if (job.status === "canceling") {
      this.transition(job, "canceled");
    } else if (state === "success") {
      this.transition(job, "success");
    } else {
      job.failureReason =
        failureReason && RUNNER_FAILURE_REASONS.has(failureReason) ? failureReason : "unknown_failure";
      this.transition(job, "failed");
      this.autoRetry(job);
    }
    const pipeline = this.store.pipeline(job.pipelineId);
    if (pipeline) this.process(pipeline);
  }

  drop(job: Job, reason: string): void {
    job.failureReason = reason;
    this.transition(job, "failed");
    this.autoRetry(job);
    const pipeline = this.store.pipeline(job.pipelineId);
    if (pipeline) this.process(pipeline);
  }

  /** `retry:` in the config: a failed job whose reason matches `when` runs again, up to `max` times. */
  private autoRetry(job: Job): void {
    if (job.retryMax === 0) return;
    const attempts = this.store.data.jobs.filter((j) => j.pipelineId === job.pipelineId && j.name === job.name).length;
    if (attempts > job.retryMax) return;
    if (!job.retryWhen.includes("always") && !job.retryWhen.includes(job.failureReason ?? "")) return;
    this.cloneForRetry(job, job.userId);
  }

  private cloneForRetry(job: Job, userId: number): Job {
    job.retried = true;
    const now = iso(this.now());
    const clone: Job = {
      ...job,
      id: this.store.nextId("job", 1000),
      status: "created",
      retried: false,
      userId,
      createdAt: now,
      queuedAt: null,
      startedAt: null,
      heartbeatAt: null,
      finishedAt: null,
      erasedAt: null,
      runnerId: null,
      runnerManagerSystemId: null,
      tokenDigest: null,
      traceSize: 0,
      failureReason: null,
      exitCode: null,
      coverage: null,
    };
    // The new attempt starts as "created"; processing enqueues it once its prerequisites are
    // complete (at once for a job that already ran), as Ci::RetryJobService + processing do.
    this.store.data.jobs.push(clone);
    this.events.jobChanged(clone);
    return clone;
  }

  retryable = (job: Job) => !job.retried && ["success", "failed", "canceled"].includes(job.status);

  /** POST /jobs/:id/retry (Ci::RetryJobService): a new attempt, and later skipped jobs made ready again (ResetSkippedJobsService). */
  retryJob(job: Job, userId: number): Job {
    const clone = this.cloneForRetry(job, userId);
    this.resetSkippedAfter(job);
    const pipeline = this.store.pipeline(job.pipelineId);
    if (pipeline) this.process(pipeline);
    return clone;
  }

  private resetSkippedAfter(job: Job): void {
    for (const later of this.store.pipelineJobs(job.pipelineId)) {
      const dependent = later.needs ? later.needs.includes(job.name) : later.stageIdx > job.stageIdx;
      if (dependent && later.status === "skipped") {
        later.finishedAt = null;
        this.transition(later, "created");
      }
    }
  }

  /** POST /pipelines/:id/retry: every failed or canceled job again. */
  retryPipeline(pipeline: Pipeline, userId: number): void {
    const jobs = this.store.pipelineJobs(pipeline.id).filter((j) => j.status === "failed" || j.status === "canceled");
    for (const job of jobs) {
      this.cloneForRetry(job, userId);
      this.resetSkippedAfter(job);
    }
    this.process(pipeline);
  }

  /** Job#cancel: running jobs on a runner that cancels gracefully go to "canceling" first. */
  cancelJob(job: Job): void {
    if (!CANCELABLE.includes(job.status)) return;
    if (job.status === "running" && this.cancelsGracefully(job)) {
      this.transition(job, "canceling");
    } else {
      this.transition(job, "canceled");
      job.finishedAt ??= iso(this.now());
    }
    const pipeline = this.store.pipeline(job.pipelineId);
    if (pipeline) this.process(pipeline);
  }

  /** Job#force_cancel: a job left canceling by its runner becomes canceled now. */
  forceCancel(job: Job): void {
    if (job.status !== "canceling") return;
    this.transition(job, "canceled");
    job.finishedAt ??= iso(this.now());
    const pipeline = this.store.pipeline(job.pipelineId);
    if (pipeline) this.process(pipeline);
  }

  private cancelsGracefully(job: Job): boolean {
    const runner = job.runnerId ? this.store.runner(job.runnerId) : undefined;
    return runner?.managers.find((m) => m.systemId === job.runnerManagerSystemId)?.cancelGracefully ?? false;
  }

  cancelPipeline(pipeline: Pipeline): void {
    for (const job of this.store.pipelineJobs(pipeline.id)) {
      if (!CANCELABLE.includes(job.status)) continue;
      if (job.status === "running" && this.cancelsGracefully(job)) this.transition(job, "canceling");
      else this.transition(job, "canceled");
    }
    this.process(pipeline);
  }

  playable = (job: Job) => job.status === "manual" && !job.retried;

  play(job: Job, userId: number, variables: Record<string, string>): void {
    job.userId = userId;
    job.variables = { ...job.variables, ...variables };
    this.enqueue(job);
    const pipeline = this.store.pipeline(job.pipelineId);
    if (pipeline) this.process(pipeline);
  }

  /**
   * GitLab's stuck-job cleanup (StuckCiJobsWorker, hourly, and the Ci::StuckBuilds services): a
   * running job whose runner has not updated it (PUT or log PATCH) for `runningMs`, a canceling job
   * not updated since the cancel for `cancelingMs`, a job pending for `pendingMs`, fails with
   * `stuck_or_timeout_failure` (retried by `retry:when` like any failure). Returns the jobs dropped.
   */
  dropStuckJobs(): Job[] {
    const now = this.now();
    const since = (time: string | null) => (time === null ? 0 : now - Date.parse(time));
    const isStuck = (job: Job) =>
      (job.status === "running" && since(job.heartbeatAt) > this.stuck.runningMs) ||
      (job.status === "canceling" && since(job.heartbeatAt) > this.stuck.cancelingMs) ||
      (job.status === "pending" && since(job.queuedAt) > this.stuck.pendingMs);
    const dropped: Job[] = [];
    // Dropping one job moves its pipeline on (a later job may be skipped meanwhile): ask again for each.
    for (const job of [...this.store.data.jobs]) {
      if (!isStuck(job)) continue;
      this.drop(job, "stuck_or_timeout_failure");
      dropped.push(job);
    }
    return dropped;
  }
}
