import crypto from "node:crypto";
import { hookTime, secondsBetween, type Instance } from "./instance";
import type { Hook, Job, Pipeline, Project, User } from "./model";
import type { Store } from "./store";
import type { CiEngine } from "./ci-engine";

/** Deliveries kept per hook (GitLab keeps "Recent events" for two days). */
const KEPT_DELIVERIES = 50;
const DELIVERY_TIMEOUT_MS = 10_000;
/** GitLab disables a hook temporarily after 4 failures in a row, then backs off up to a day. */
const FAILURES_BEFORE_DISABLE = 4;

/**
 * Project webhooks: job events ("Job Hook") and pipeline events ("Pipeline Hook"), with the payloads
 * and headers of https://docs.gitlab.com/user/project/integrations/webhook_events/ and
 * .../webhooks/#delivery-headers. Deliveries are asynchronous and in order per hook.
 */
export class Webhooks {
  private chains = new Map<number, Promise<void>>();
  private ci: CiEngine | undefined;

  constructor(
    private readonly store: Store,
    private readonly instance: Instance,
    private readonly now: () => number,
  ) {}

  attach(ci: CiEngine): void {
    this.ci = ci;
  }

  jobChanged(job: Job): void {
    const hooks = this.store.data.hooks.filter((h) => h.projectId === job.projectId && h.jobEvents);
    if (hooks.length === 0) return;
    const payload = this.jobPayload(job);
    for (const hook of hooks) this.deliver(hook, "Job Hook", payload);
  }

  pipelineChanged(pipeline: Pipeline): void {
    const hooks = this.store.data.hooks.filter((h) => h.projectId === pipeline.projectId && h.pipelineEvents);
    if (hooks.length === 0) return;
    const payload = this.pipelinePayload(pipeline);
    for (const hook of hooks) this.deliver(hook, "Pipeline Hook", payload);
  }

  /** Waits until every delivery queued so far has been attempted (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  deliver(hook: Hook, event: string, payload: unknown): Promise<void> {
    const previous = this.chains.get(hook.id) ?? Promise.resolve();
    const next = previous.then(() => this.send(hook, event, payload));
    this.chains.set(hook.id, next);
    return next;
  }

  private async send(hook: Hook, event: string, payload: unknown): Promise<void> {
    if (hook.disabledUntil && Date.parse(hook.disabledUntil) > this.now()) {
      this.record(hook, {
        event,
        status: null,
        error: "hook temporarily disabled",
        at: new Date(this.now()).toISOString(),
      });
      return;
    }
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "User-Agent": `GitLab/${this.instance.version}`,
      "X-Gitlab-Event": event,
      "X-Gitlab-Webhook-UUID": crypto.randomUUID(),
      "X-Gitlab-Event-UUID": crypto.randomUUID(),
      "X-Gitlab-Instance": this.instance.externalUrl,
      "Idempotency-Key": crypto.randomUUID(),
    };
    if (hook.token) headers["X-Gitlab-Token"] = hook.token;
    const at = new Date(this.now()).toISOString();
    try {
      const response = await fetch(hook.url, {
        method: "POST",
        headers,
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        redirect: "manual",
      });
      await response.arrayBuffer().catch(() => undefined);
      const ok = response.status >= 200 && response.status < 300;
      this.record(hook, { event, status: response.status, error: ok ? null : `HTTP ${response.status}`, at }, ok);
    } catch (error) {
      this.record(hook, { event, status: null, error: (error as Error).message, at }, false);
    }
  }

  private record(hook: Hook, delivery: Hook["deliveries"][number], ok?: boolean): void {
    hook.deliveries.push(delivery);
    if (hook.deliveries.length > KEPT_DELIVERIES) hook.deliveries.splice(0, hook.deliveries.length - KEPT_DELIVERIES);
    if (ok === true) {
      hook.recentFailures = 0;
      hook.disabledUntil = null;
    } else if (ok === false) {
      hook.recentFailures += 1;
      if (hook.recentFailures >= FAILURES_BEFORE_DISABLE) {
        const backoffMinutes = Math.min(2 ** (hook.recentFailures - FAILURES_BEFORE_DISABLE), 24 * 60);
        hook.disabledUntil = new Date(this.now() + backoffMinutes * 60_000).toISOString();
      }
    }
    this.store.changed();
  }

  private userHash(user: User | undefined) {
    if (!user) return null;
    return { id: user.id, name: user.name, username: user.username, avatar_url: null, email: "[REDACTED]" };
  }

  private projectHash(project: Project) {
    const fullPath = this.store.projectFullPath(project);
    const web = `${this.instance.externalUrl}/${fullPath}`;
    const host = new URL(this.instance.externalUrl).hostname;
    return {
      id: project.id,
      name: project.name,
      description: project.description,
      web_url: web,
      avatar_url: null,
      git_ssh_url: `git@${host}:${fullPath}.git`,
      git_http_url: `${web}.git`,
      namespace: this.store.group(project.namespaceId)?.name ?? "",
      visibility_level: project.visibility === "private" ? 0 : project.visibility === "internal" ? 10 : 20,
      path_with_namespace: fullPath,
      default_branch: project.defaultBranch,
      ci_config_path: "",
    };
  }

  private runnerHash(job: Job) {
    const runner = job.runnerId ? this.store.runner(job.runnerId) : undefined;
    if (!runner) return null;
    return {
      id: runner.id,
      description: runner.description,
      runner_type: runner.runnerType,
      active: !runner.paused,
      is_shared: runner.runnerType === "instance_type",
      tags: runner.tags,
    };
  }

  jobPayload(job: Job) {
    const pipeline = this.store.pipeline(job.pipelineId)!;
    const project = this.store.project(job.projectId)!;
    const commit = project.commits.find((c) => c.sha === pipeline.sha);
    const nowIso = new Date(this.now()).toISOString();
    const retries = this.store.data.jobs.filter(
      (j) => j.pipelineId === job.pipelineId && j.name === job.name && j.retried,
    ).length;
    return {
      object_kind: "build",
      ref: pipeline.ref,
      tag: pipeline.tag,
      before_sha: pipeline.beforeSha,
      sha: pipeline.sha,
      retries_count: retries,
      build_id: job.id,
      build_name: job.name,
      build_stage: job.stage,
      build_status: job.status,
      build_created_at: hookTime(job.createdAt),
      build_started_at: hookTime(job.startedAt),
      build_finished_at: hookTime(job.finishedAt),
      build_duration: secondsBetween(job.startedAt, job.finishedAt ?? (job.startedAt ? nowIso : null)),
      build_queued_duration: secondsBetween(job.queuedAt, job.startedAt ?? (job.queuedAt ? nowIso : null)),
      build_allow_failure: job.allowFailure,
      build_failure_reason: job.failureReason ?? "unknown_failure",
      pipeline_id: pipeline.id,
      runner: this.runnerHash(job),
      project_id: project.id,
      project_name: `${this.store
        .groupAncestry(project.namespaceId)
        .reverse()
        .map((g) => g.name)
        .join(" / ")} / ${project.name}`,
      user: this.userHash(this.store.user(job.userId)),
      commit: {
        id: pipeline.id,
        name: null,
        sha: pipeline.sha,
        message: commit?.message ?? "",
        author_name: commit?.authorName ?? "",
        author_email: commit?.authorEmail ?? "",
        author_url: commit ? `mailto:${commit.authorEmail}` : "",
        status: pipeline.status,
        duration: this.ci?.pipelineDuration(pipeline) ?? null,
        started_at: hookTime(pipeline.startedAt),
        finished_at: hookTime(pipeline.finishedAt),
      },
      repository: {
        name: project.name,
        url: this.projectHash(project).git_ssh_url,
        description: project.description,
        homepage: this.projectHash(project).web_url,
        git_http_url: this.projectHash(project).git_http_url,
        git_ssh_url: this.projectHash(project).git_ssh_url,
        visibility_level: this.projectHash(project).visibility_level,
      },
      project: this.projectHash(project),
      environment: null,
    };
  }

  pipelinePayload(pipeline: Pipeline) {
    const project = this.store.project(pipeline.projectId)!;
    const commit = project.commits.find((c) => c.sha === pipeline.sha);
    const fullPath = this.store.projectFullPath(project);
    const jobs = this.store.pipelineJobs(pipeline.id);
    const nowIso = new Date(this.now()).toISOString();
    return {
      object_kind: "pipeline",
      object_attributes: {
        id: pipeline.id,
        iid: pipeline.iid,
        name: null,
        ref: pipeline.ref,
        tag: pipeline.tag,
        sha: pipeline.sha,
        before_sha: pipeline.beforeSha,
        source: pipeline.source,
        status: pipeline.status,
        detailed_status: pipeline.status === "success" ? "passed" : pipeline.status,
        stages: pipeline.stages,
        created_at: hookTime(pipeline.createdAt),
        finished_at: hookTime(pipeline.finishedAt),
        duration: this.ci?.pipelineDuration(pipeline) ?? null,
        queued_duration: secondsBetween(pipeline.createdAt, pipeline.startedAt),
        variables: Object.entries(pipeline.variables).map(([key, value]) => ({ key, value })),
        url: `${this.instance.externalUrl}/${fullPath}/-/pipelines/${pipeline.id}`,
      },
      merge_request: null,
      user: this.userHash(this.store.user(pipeline.userId)),
      project: this.projectHash(project),
      commit: commit
        ? {
            id: commit.sha,
            message: commit.message,
            title: commit.title,
            timestamp: commit.authoredAt.replace(/\.\d{3}Z$/, "+00:00"),
            url: `${this.instance.externalUrl}/${fullPath}/-/commit/${commit.sha}`,
            author: { name: commit.authorName, email: "[REDACTED]" },
          }
        : null,
      builds: jobs.map((job) => ({
        id: job.id,
        stage: job.stage,
        name: job.name,
        status: job.status,
        created_at: hookTime(job.createdAt),
        started_at: hookTime(job.startedAt),
        finished_at: hookTime(job.finishedAt),
        duration: secondsBetween(job.startedAt, job.finishedAt ?? (job.startedAt ? nowIso : null)),
        queued_duration: secondsBetween(job.queuedAt, job.startedAt ?? (job.queuedAt ? nowIso : null)),
        failure_reason: job.failureReason,
        when: job.when,
        manual: job.when === "manual",
        allow_failure: job.allowFailure,
        user: this.userHash(this.store.user(job.userId)),
        runner: this.runnerHash(job),
        artifacts_file: { filename: null, size: null },
        environment: null,
      })),
    };
  }
}
