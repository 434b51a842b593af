import type { CiEngine } from "./ci-engine";
import type { Instance } from "./instance";
import type { Job, Runner } from "./model";
import type { Store } from "./store";
import { jobVariables, type JobVariable } from "./variables";

/**
 * The body of a 201 from POST /jobs/request: Entities::Ci::JobRequest::Response, read field by field
 * as gitlab-runner's spec.Job (common/spec/spec.go) unmarshals it.
 */
export function jobPayload(
  store: Store,
  ci: CiEngine,
  instance: Instance,
  job: Job,
  runner: Runner,
  token: string,
  queueSize: number,
) {
  const project = store.project(job.projectId)!;
  const pipeline = store.pipeline(job.pipelineId)!;
  const ctx = ci.context(project, pipeline, job.userId);
  const variables: JobVariable[] = [
    ...jobVariables(ctx, job, runner, token, job.startedAt!),
    ...Object.entries(project.variables).map(([key, value]) => ({ key, value, public: false, masked: false })),
    ...Object.entries(job.variables).map(([key, value]) => ({ key, value, public: true, masked: false })),
    ...Object.entries(pipeline.variables).map(([key, value]) => ({ key, value, public: false, masked: false })),
  ];
  const repoUrl = `${instance.externalUrl.replace("://", `://gitlab-ci-token:${token}@`)}/${ctx.projectPath}.git`;
  const host = new URL(instance.externalUrl).host;
  const steps = [
    {
      name: "script",
      script: [...job.beforeScript, ...job.script],
      timeout: job.timeout,
      when: "on_success",
      allow_failure: false,
    },
    ...(job.afterScript.length
      ? [{ name: "after_script", script: job.afterScript, timeout: job.timeout, when: "always", allow_failure: true }]
      : []),
  ];
  const queuedSeconds =
    job.queuedAt && job.startedAt ? (Date.parse(job.startedAt) - Date.parse(job.queuedAt)) / 1000 : 0;
  return {
    id: job.id,
    token,
    allow_git_fetch: true,
    job_info: {
      id: job.id,
      name: job.name,
      stage: job.stage,
      project_id: project.id,
      project_name: project.name,
      project_full_path: ctx.projectPath,
      pipeline_id: pipeline.id,
      namespace_id: project.namespaceId,
      root_namespace_id: store.groupAncestry(project.namespaceId).at(-1)?.id ?? project.namespaceId,
      user_id: job.userId,
      time_in_queue_seconds: queuedSeconds,
      project_jobs_running_on_instance_runners_count:
        runner.runnerType === "instance_type"
          ? String(
              store.data.jobs.filter(
                (j) =>
                  j.projectId === project.id &&
                  j.status === "running" &&
                  store.runner(j.runnerId ?? -1)?.runnerType === "instance_type",
              ).length,
            )
          : "+Inf",
      queue_size: queueSize,
      queue_depth: queueSize,
    },
    git_info: {
      repo_url: repoUrl,
      repo_object_format: "sha1",
      ref: pipeline.ref,
      sha: pipeline.sha,
      before_sha: pipeline.beforeSha,
      ref_type: pipeline.tag ? "tag" : "branch",
      refspecs: [
        `+refs/pipelines/${pipeline.id}:refs/pipelines/${pipeline.id}`,
        `+refs/heads/${pipeline.ref}:refs/remotes/origin/${pipeline.ref}`,
      ],
      depth: 20,
      protected: pipeline.ref === project.defaultBranch,
    },
    runner_info: { timeout: job.timeout, runner_session_url: null },
    variables,
    steps,
    image: job.image
      ? {
          name: job.image.name,
          entrypoint: job.image.entrypoint ?? null,
          ports: [],
          executor_opts: {},
          pull_policy: job.image.pullPolicy ?? null,
        }
      : null,
    services: job.services.map((s) => ({
      name: s.name,
      entrypoint: s.entrypoint ?? null,
      ports: [],
      alias: s.alias ?? null,
      command: s.command ?? null,
      executor_opts: {},
      pull_policy: null,
      variables: Object.entries(s.variables ?? {}).map(([key, value]) => ({ key, value, public: true, masked: false })),
    })),
    artifacts: job.artifacts
      ? [
          {
            name: job.artifacts.name ?? "artifacts",
            untracked: job.artifacts.untracked,
            paths: job.artifacts.paths,
            exclude: job.artifacts.exclude ?? [],
            when: job.artifacts.when,
            artifact_type: "archive",
            artifact_format: "zip",
            expire_in: job.artifacts.expireIn ?? null,
          },
          ...(job.artifacts.reportsJunit?.length
            ? [
                {
                  name: "junit.xml.gz",
                  untracked: false,
                  paths: job.artifacts.reportsJunit,
                  exclude: [],
                  when: "always",
                  artifact_type: "junit",
                  artifact_format: "gzip",
                  expire_in: job.artifacts.expireIn ?? null,
                },
              ]
            : []),
        ]
      : [],
    cache: job.cache.map((c) => ({
      key: c.key === "default" ? "default" : `${c.key}-protected`,
      untracked: c.untracked,
      policy: c.policy,
      paths: c.paths,
      when: c.when,
      fallback_keys: [],
    })),
    credentials: [{ type: "registry", url: host, username: "gitlab-ci-token", password: token }],
    dependencies: [],
    features: { trace_sections: true, failure_reasons: [...FAILURE_REASONS] },
    hooks: [],
  };
}

/** The failure reasons this GitLab understands, told to the runner so it maps newer ones to these. */
const FAILURE_REASONS = [
  "unknown_failure",
  "script_failure",
  "api_failure",
  "stuck_or_timeout_failure",
  "runner_system_failure",
  "missing_dependency_failure",
  "runner_unsupported",
  "stale_schedule",
  "job_execution_timeout",
  "archived_failure",
  "unmet_prerequisites",
  "scheduler_failure",
  "data_integrity_failure",
  "forward_deployment_failure",
  "user_blocked",
  "project_deleted",
  "ci_quota_exceeded",
  "pipeline_loop_detected",
  "no_matching_runner",
  "trace_size_exceeded",
  "builds_disabled",
  "environment_creation_failure",
  "deployment_rejected",
  "failed_outdated_deployment_job",
  "protected_environment_failure",
  "insufficient_bridge_permissions",
  "downstream_bridge_project_not_found",
  "invalid_bridge_trigger",
  "upstream_bridge_project_not_found",
  "insufficient_upstream_permissions",
  "bridge_pipeline_is_child_pipeline",
  "downstream_pipeline_creation_failed",
  "secrets_provider_not_found",
  "reached_max_descendant_pipelines_depth",
  "ip_restriction_failure",
  "reached_max_pipeline_hierarchy_size",
  "reached_downstream_pipeline_trigger_rate_limit",
];
