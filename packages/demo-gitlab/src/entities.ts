import { secondsBetween, type Instance } from "./instance";
import type { Group, Hook, Job, PersonalAccessToken, Pipeline, Project, Runner, RunnerManager, User } from "./model";
import type { Store } from "./store";

/**
 * JSON shapes of GitLab's API entities (lib/api/entities/**), with the fields clients read.
 * Fields GitLab has and the demo does not model are left out rather than filled with made-up values.
 */
export class Entities {
  constructor(
    private readonly store: Store,
    private readonly instance: Instance,
    private readonly now: () => number,
  ) {}

  private web = (path: string) => `${this.instance.externalUrl}/${path}`;

  userBasic(user: User | undefined) {
    if (!user) return null;
    return {
      id: user.id,
      username: user.username,
      public_email: null,
      name: user.name,
      state: user.state,
      locked: false,
      avatar_url: null,
      web_url: this.web(user.username),
    };
  }

  /** Entities::UserPublic (GET /user adds email and is_admin for oneself). */
  userFull(user: User, self: boolean) {
    return {
      ...this.userBasic(user),
      created_at: user.createdAt,
      bio: "",
      location: "",
      linkedin: "",
      twitter: "",
      discord: "",
      website_url: "",
      organization: "",
      job_title: "",
      pronouns: null,
      bot: false,
      work_information: null,
      local_time: null,
      ...(self
        ? {
            last_sign_in_at: null,
            confirmed_at: user.createdAt,
            last_activity_on: null,
            email: user.email,
            theme_id: 1,
            color_scheme_id: 1,
            projects_limit: 100000,
            current_sign_in_at: null,
            identities: [],
            can_create_group: true,
            can_create_project: true,
            two_factor_enabled: false,
            external: false,
            private_profile: false,
            commit_email: user.email,
            is_admin: user.isAdmin,
          }
        : {}),
    };
  }

  personalAccessToken(token: PersonalAccessToken) {
    const expired = token.expiresAt !== null && token.expiresAt < new Date(this.now()).toISOString().slice(0, 10);
    return {
      id: token.id,
      name: token.name,
      revoked: token.revoked,
      created_at: token.createdAt,
      description: null,
      scopes: token.scopes,
      user_id: token.userId,
      last_used_at: token.lastUsedAt,
      active: !token.revoked && !expired,
      expires_at: token.expiresAt,
    };
  }

  namespace(group: Group) {
    return {
      id: group.id,
      name: group.name,
      path: group.path,
      kind: "group",
      full_path: group.fullPath,
      parent_id: group.parentId,
      avatar_url: null,
      web_url: this.web(`groups/${group.fullPath}`),
    };
  }

  group(group: Group) {
    return {
      id: group.id,
      web_url: this.web(`groups/${group.fullPath}`),
      name: group.name,
      path: group.path,
      description: group.description,
      visibility: "private",
      share_with_group_lock: false,
      require_two_factor_authentication: false,
      two_factor_grace_period: 48,
      project_creation_level: "developer",
      auto_devops_enabled: null,
      subgroup_creation_level: "maintainer",
      emails_disabled: false,
      emails_enabled: true,
      mentions_disabled: null,
      lfs_enabled: true,
      default_branch: null,
      avatar_url: null,
      request_access_enabled: true,
      full_name: this.store
        .groupAncestry(group.id)
        .reverse()
        .map((g) => g.name)
        .join(" / "),
      full_path: group.fullPath,
      created_at: group.createdAt,
      parent_id: group.parentId,
      shared_runners_setting: "enabled",
    };
  }

  projectSimple(project: Project) {
    const group = this.store.group(project.namespaceId)!;
    const fullPath = this.store.projectFullPath(project);
    const host = new URL(this.instance.externalUrl).hostname;
    return {
      id: project.id,
      description: project.description,
      name: project.name,
      name_with_namespace: `${this.store
        .groupAncestry(group.id)
        .reverse()
        .map((g) => g.name)
        .join(" / ")} / ${project.name}`,
      path: project.path,
      path_with_namespace: fullPath,
      created_at: project.createdAt,
      default_branch: project.defaultBranch,
      tag_list: [],
      topics: [],
      ssh_url_to_repo: `git@${host}:${fullPath}.git`,
      http_url_to_repo: `${this.instance.externalUrl}/${fullPath}.git`,
      web_url: this.web(fullPath),
      readme_url: project.files["README.md"] ? this.web(`${fullPath}/-/blob/${project.defaultBranch}/README.md`) : null,
      forks_count: 0,
      avatar_url: null,
      star_count: 0,
      last_activity_at: project.lastActivityAt,
      namespace: this.namespace(group),
    };
  }

  project(project: Project, accessLevel: number | null) {
    const fullPath = this.store.projectFullPath(project);
    const api = `${this.instance.externalUrl}/api/v4/projects/${project.id}`;
    return {
      ...this.projectSimple(project),
      container_registry_image_prefix: `${new URL(this.instance.externalUrl).host}/${fullPath}`,
      _links: {
        self: api,
        issues: `${api}/issues`,
        merge_requests: `${api}/merge_requests`,
        repo_branches: `${api}/repository/branches`,
        labels: `${api}/labels`,
        events: `${api}/events`,
        members: `${api}/members`,
        cluster_agents: `${api}/cluster_agents`,
      },
      empty_repo: false,
      archived: false,
      visibility: project.visibility,
      owner: undefined,
      resolve_outdated_diff_discussions: false,
      container_registry_enabled: false,
      issues_enabled: true,
      merge_requests_enabled: true,
      wiki_enabled: false,
      jobs_enabled: true,
      snippets_enabled: false,
      builds_access_level: "enabled",
      repository_access_level: "enabled",
      shared_runners_enabled: true,
      group_runners_enabled: true,
      creator_id: project.creatorId,
      import_status: "none",
      open_issues_count: 0,
      ci_default_git_depth: 20,
      ci_config_path: "",
      public_jobs: true,
      build_timeout: 3600,
      auto_cancel_pending_pipelines: "enabled",
      only_allow_merge_if_pipeline_succeeds: false,
      request_access_enabled: true,
      permissions: {
        project_access: null,
        group_access: accessLevel === null ? null : { access_level: accessLevel, notification_level: 3 },
      },
    };
  }

  pipelineBasic(pipeline: Pipeline) {
    return {
      id: pipeline.id,
      iid: pipeline.iid,
      project_id: pipeline.projectId,
      sha: pipeline.sha,
      ref: pipeline.ref,
      status: pipeline.status,
      source: pipeline.source,
      created_at: pipeline.createdAt,
      updated_at: pipeline.updatedAt,
      web_url: this.pipelineUrl(pipeline),
    };
  }

  pipelineUrl(pipeline: Pipeline): string {
    const project = this.store.project(pipeline.projectId)!;
    return this.web(`${this.store.projectFullPath(project)}/-/pipelines/${pipeline.id}`);
  }

  /** Entities::Ci::PipelineWithMetadata (GET one, POST create). */
  pipeline(pipeline: Pipeline, duration: number | null) {
    const commit = this.store.project(pipeline.projectId)?.commits.find((c) => c.sha === pipeline.sha);
    return {
      ...this.pipelineBasic(pipeline),
      name: null,
      before_sha: pipeline.beforeSha,
      tag: pipeline.tag,
      yaml_errors: pipeline.yamlErrors,
      user: this.userBasic(this.store.user(pipeline.userId)),
      started_at: pipeline.startedAt,
      finished_at: pipeline.finishedAt,
      committed_at: commit?.authoredAt ?? null,
      duration,
      queued_duration: pipeline.startedAt ? secondsBetween(pipeline.createdAt, pipeline.startedAt) : null,
      coverage: null,
      detailed_status: detailedStatus(pipeline.status, this.pipelineUrl(pipeline)),
      archived: false,
    };
  }

  commit(projectId: number, sha: string) {
    const project = this.store.project(projectId);
    const commit = project?.commits.find((c) => c.sha === sha);
    if (!project || !commit) return null;
    return {
      id: commit.sha,
      short_id: commit.sha.slice(0, 8),
      created_at: commit.authoredAt,
      parent_ids: commit.parentSha ? [commit.parentSha] : [],
      title: commit.title,
      message: commit.message,
      author_name: commit.authorName,
      author_email: commit.authorEmail,
      authored_date: commit.authoredAt,
      committer_name: commit.authorName,
      committer_email: commit.authorEmail,
      committed_date: commit.authoredAt,
      trailers: {},
      extended_trailers: {},
      web_url: this.web(`${this.store.projectFullPath(project)}/-/commit/${commit.sha}`),
    };
  }

  runnerBasic(runner: Runner) {
    return {
      id: runner.id,
      description: runner.description,
      ip_address: runner.managers.at(-1)?.ipAddress ?? null,
      active: !runner.paused,
      paused: runner.paused,
      is_shared: runner.runnerType === "instance_type",
      runner_type: runner.runnerType,
      name: runner.managers.at(-1) ? "gitlab-runner" : null,
      online: runnerStatus(runner, this.now()) === "online",
      status: runnerStatus(runner, this.now()),
    };
  }

  /** Entities::Ci::RunnerDetails. */
  runner(runner: Runner) {
    const manager = [...runner.managers].sort((a, b) => (b.contactedAt ?? "").localeCompare(a.contactedAt ?? ""))[0];
    return {
      ...this.runnerBasic(runner),
      tag_list: runner.tags,
      run_untagged: runner.runUntagged,
      locked: runner.locked,
      maximum_timeout: runner.maximumTimeout,
      access_level: runner.accessLevel,
      version: manager?.version ?? null,
      revision: manager?.revision ?? null,
      platform: manager?.platform ?? null,
      architecture: manager?.architecture ?? null,
      contacted_at: runner.contactedAt,
      created_at: runner.createdAt,
      created_by: this.userBasic(runner.creatorId ? this.store.user(runner.creatorId) : undefined),
      maintenance_note: runner.maintenanceNote || null,
      projects: runner.projectIds
        .map((id) => this.store.project(id))
        .filter((p): p is Project => !!p)
        .map((p) => {
          const s = this.projectSimple(p);
          return {
            id: s.id,
            description: s.description,
            name: s.name,
            name_with_namespace: s.name_with_namespace,
            path: s.path,
            path_with_namespace: s.path_with_namespace,
            created_at: s.created_at,
          };
        }),
      groups:
        runner.groupId && this.store.group(runner.groupId)
          ? [
              {
                id: runner.groupId,
                web_url: this.web(`groups/${this.store.group(runner.groupId)!.fullPath}`),
                name: this.store.group(runner.groupId)!.name,
              },
            ]
          : [],
    };
  }

  runnerManager(runner: Runner, manager: RunnerManager) {
    return {
      id: runner.managers.indexOf(manager) + 1,
      system_id: manager.systemId,
      version: manager.version,
      revision: manager.revision,
      platform: manager.platform,
      architecture: manager.architecture,
      created_at: manager.createdAt,
      contacted_at: manager.contactedAt,
      ip_address: manager.ipAddress,
      status: statusFromContact(manager.contactedAt, manager.createdAt, this.now()),
      job_execution_status: this.store.data.jobs.some(
        (j) => j.runnerManagerSystemId === manager.systemId && j.status === "running",
      )
        ? "active"
        : "idle",
    };
  }

  /** Entities::Ci::Job. */
  job(job: Job) {
    const pipeline = this.store.pipeline(job.pipelineId)!;
    const project = this.store.project(job.projectId)!;
    const runner = job.runnerId ? this.store.runner(job.runnerId) : undefined;
    const manager = runner?.managers.find((m) => m.systemId === job.runnerManagerSystemId);
    const end = job.finishedAt ?? (job.startedAt ? new Date(this.now()).toISOString() : null);
    const queuedEnd = job.startedAt ?? (job.status === "pending" ? new Date(this.now()).toISOString() : null);
    return {
      id: job.id,
      status: job.status,
      stage: job.stage,
      name: job.name,
      ref: pipeline.ref,
      tag: pipeline.tag,
      coverage: job.coverage,
      allow_failure: job.allowFailure,
      created_at: job.createdAt,
      started_at: job.startedAt,
      finished_at: job.finishedAt,
      erased_at: job.erasedAt,
      duration: secondsBetween(job.startedAt, end),
      queued_duration: secondsBetween(job.queuedAt, queuedEnd),
      user: this.store.user(job.userId) ? this.userFull(this.store.user(job.userId)!, false) : null,
      commit: this.commit(job.projectId, pipeline.sha),
      pipeline: this.pipelineBasic(pipeline),
      ...(job.status === "failed" ? { failure_reason: job.failureReason } : {}),
      web_url: this.web(`${this.store.projectFullPath(project)}/-/jobs/${job.id}`),
      project: { ci_job_token_scope_enabled: false },
      artifacts:
        job.traceSize > 0 ? [{ file_type: "trace", size: job.traceSize, filename: "job.log", file_format: null }] : [],
      runner: runner ? this.runnerBasic(runner) : null,
      runner_manager: runner && manager ? this.runnerManager(runner, manager) : null,
      artifacts_expire_at: null,
      archived: false,
      tag_list: job.tags,
    };
  }

  hook(hook: Hook) {
    return {
      id: hook.id,
      url: hook.url,
      name: hook.name,
      description: "",
      project_id: hook.projectId,
      push_events: hook.pushEvents,
      push_events_branch_filter: null,
      issues_events: false,
      confidential_issues_events: false,
      merge_requests_events: false,
      tag_push_events: false,
      note_events: false,
      confidential_note_events: false,
      job_events: hook.jobEvents,
      pipeline_events: hook.pipelineEvents,
      wiki_page_events: false,
      deployment_events: false,
      releases_events: false,
      enable_ssl_verification: hook.enableSslVerification,
      alert_status: hook.disabledUntil ? "temporarily_disabled" : "executable",
      disabled_until: hook.disabledUntil,
      created_at: hook.createdAt,
    };
  }
}

/** Ci::Runner: online when contacted within 2 hours, stale after 7 days without contact. */
export function runnerStatus(runner: Runner, now: number): "online" | "offline" | "stale" | "never_contacted" {
  return statusFromContact(runner.contactedAt, runner.createdAt, now);
}

const ONLINE_MS = 2 * 60 * 60_000;
const STALE_MS = 7 * 24 * 60 * 60_000;

function statusFromContact(contactedAt: string | null, createdAt: string, now: number) {
  if (!contactedAt) return now - Date.parse(createdAt) > STALE_MS ? "stale" : "never_contacted";
  const age = now - Date.parse(contactedAt);
  if (age <= ONLINE_MS) return "online";
  return age > STALE_MS ? "stale" : "offline";
}

const STATUS_TEXT: Record<string, { text: string; label: string; icon: string }> = {
  created: { text: "Created", label: "created", icon: "status_created" },
  pending: { text: "Pending", label: "pending", icon: "status_pending" },
  running: { text: "Running", label: "running", icon: "status_running" },
  success: { text: "Passed", label: "passed", icon: "status_success" },
  failed: { text: "Failed", label: "failed", icon: "status_failed" },
  canceled: { text: "Canceled", label: "canceled", icon: "status_canceled" },
  skipped: { text: "Skipped", label: "skipped", icon: "status_skipped" },
  manual: { text: "Blocked", label: "waiting for manual action", icon: "status_manual" },
  scheduled: { text: "Scheduled", label: "scheduled", icon: "status_scheduled" },
  preparing: { text: "Preparing", label: "preparing", icon: "status_preparing" },
  waiting_for_resource: { text: "Waiting", label: "waiting for resource", icon: "status_pending" },
};

function detailedStatus(status: string, url: string) {
  const s = STATUS_TEXT[status] ?? STATUS_TEXT.created;
  return {
    icon: s.icon,
    text: s.text,
    label: s.label,
    group: status === "success" ? "success" : status,
    tooltip: s.label,
    has_details: true,
    details_path: new URL(url).pathname,
    illustration: null,
    favicon: `/assets/ci_favicons/favicon_${s.icon}.png`,
  };
}
