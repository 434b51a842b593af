import type { Instance } from "./instance";
import type { Commit, Job, Pipeline, Project, Runner, User } from "./model";

/** One entry of a job payload's `variables` (the runner's spec.Variable). */
export interface JobVariable {
  key: string;
  value: string;
  public: boolean;
  masked: boolean;
  file?: boolean;
  raw?: boolean;
}

/** CI_COMMIT_REF_SLUG and friends: lowercased, non-alphanumerics to "-", at most 63 characters. */
export function slugify(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");
}

export interface PipelineContext {
  instance: Instance;
  project: Project;
  projectPath: string;
  namespacePath: string;
  rootNamespacePath: string;
  pipeline: Pick<Pipeline, "id" | "iid" | "ref" | "tag" | "sha" | "beforeSha" | "source" | "createdAt">;
  commit: Commit | undefined;
  user: User | undefined;
  protectedRef: boolean;
}

/**
 * Predefined variables known when the pipeline is created (what `rules:if` can see), named and
 * valued as https://docs.gitlab.com/ci/variables/predefined_variables/ lists them.
 */
export function pipelineVariables(ctx: PipelineContext): Record<string, string> {
  const { instance, project, pipeline, commit, user } = ctx;
  const server = new URL(instance.externalUrl);
  const [major, minor, patch] = instance.version.split(".");
  const projectUrl = `${instance.externalUrl}/${ctx.projectPath}`;
  const vars: Record<string, string> = {
    CI: "true",
    GITLAB_CI: "true",
    CI_SERVER: "yes",
    CI_SERVER_URL: instance.externalUrl,
    CI_SERVER_HOST: server.hostname,
    CI_SERVER_PORT: server.port || (server.protocol === "https:" ? "443" : "80"),
    CI_SERVER_PROTOCOL: server.protocol.replace(":", ""),
    CI_SERVER_FQDN: server.host,
    CI_SERVER_NAME: "GitLab",
    CI_SERVER_VERSION: instance.version,
    CI_SERVER_VERSION_MAJOR: major ?? "0",
    CI_SERVER_VERSION_MINOR: minor ?? "0",
    CI_SERVER_VERSION_PATCH: patch ?? "0",
    CI_SERVER_REVISION: instance.revision,
    CI_API_V4_URL: `${instance.externalUrl}/api/v4`,
    CI_API_GRAPHQL_URL: `${instance.externalUrl}/api/graphql`,
    CI_PROJECT_ID: String(project.id),
    CI_PROJECT_NAME: project.path,
    CI_PROJECT_TITLE: project.name,
    CI_PROJECT_DESCRIPTION: project.description,
    CI_PROJECT_PATH: ctx.projectPath,
    CI_PROJECT_PATH_SLUG: slugify(ctx.projectPath),
    CI_PROJECT_NAMESPACE: ctx.namespacePath,
    CI_PROJECT_NAMESPACE_ID: String(project.namespaceId),
    CI_PROJECT_ROOT_NAMESPACE: ctx.rootNamespacePath,
    CI_PROJECT_URL: projectUrl,
    CI_PROJECT_VISIBILITY: project.visibility,
    CI_PROJECT_REPOSITORY_LANGUAGES: "",
    CI_PROJECT_CLASSIFICATION_LABEL: "",
    CI_DEFAULT_BRANCH: project.defaultBranch,
    CI_CONFIG_PATH: ".gitlab-ci.yml",
    CI_PIPELINE_ID: String(pipeline.id),
    CI_PIPELINE_IID: String(pipeline.iid),
    CI_PIPELINE_SOURCE: pipeline.source,
    CI_PIPELINE_URL: `${projectUrl}/-/pipelines/${pipeline.id}`,
    CI_PIPELINE_CREATED_AT: pipeline.createdAt.replace(/\.\d{3}Z$/, "Z"),
    CI_COMMIT_SHA: pipeline.sha,
    CI_COMMIT_SHORT_SHA: pipeline.sha.slice(0, 8),
    CI_COMMIT_BEFORE_SHA: pipeline.beforeSha,
    CI_COMMIT_REF_NAME: pipeline.ref,
    CI_COMMIT_REF_SLUG: slugify(pipeline.ref),
    CI_COMMIT_REF_PROTECTED: String(ctx.protectedRef),
    CI_COMMIT_TITLE: commit?.title ?? "",
    CI_COMMIT_MESSAGE: commit?.message ?? "",
    CI_COMMIT_DESCRIPTION: commit ? commit.message.split("\n").slice(1).join("\n").trim() : "",
    CI_COMMIT_AUTHOR: commit ? `${commit.authorName} <${commit.authorEmail}>` : "",
    CI_COMMIT_TIMESTAMP: commit ? commit.authoredAt.replace(/\.\d{3}Z$/, "+00:00") : "",
    GITLAB_FEATURES: "",
  };
  if (pipeline.tag) vars.CI_COMMIT_TAG = pipeline.ref;
  else vars.CI_COMMIT_BRANCH = pipeline.ref;
  if (user) {
    vars.GITLAB_USER_ID = String(user.id);
    vars.GITLAB_USER_EMAIL = user.email;
    vars.GITLAB_USER_LOGIN = user.username;
    vars.GITLAB_USER_NAME = user.name;
  }
  return vars;
}

/** The job's own predefined variables, known once a runner takes it. */
export function jobVariables(
  ctx: PipelineContext,
  job: Job,
  runner: Runner,
  jobToken: string,
  startedAt: string,
): JobVariable[] {
  const projectUrl = `${ctx.instance.externalUrl}/${ctx.projectPath}`;
  const host = new URL(ctx.instance.externalUrl).host;
  const repoUrl = `${ctx.instance.externalUrl.replace("://", `://gitlab-ci-token:${jobToken}@`)}/${ctx.projectPath}.git`;
  const open = (key: string, value: string): JobVariable => ({ key, value, public: true, masked: false });
  const secret = (key: string, value: string): JobVariable => ({ key, value, public: false, masked: true });
  const predefined: JobVariable[] = [
    secret("CI_JOB_TOKEN", jobToken),
    secret("CI_BUILD_TOKEN", jobToken),
    { key: "CI_REPOSITORY_URL", value: repoUrl, public: false, masked: false },
    secret("CI_DEPENDENCY_PROXY_PASSWORD", jobToken),
    open("CI_DEPENDENCY_PROXY_USER", "gitlab-ci-token"),
    open("CI_DEPENDENCY_PROXY_SERVER", host),
    open("CI_JOB_ID", String(job.id)),
    open("CI_JOB_URL", `${projectUrl}/-/jobs/${job.id}`),
    open("CI_JOB_NAME", job.name),
    open("CI_JOB_NAME_SLUG", slugify(job.name)),
    open("CI_JOB_STAGE", job.stage),
    open("CI_JOB_STARTED_AT", startedAt.replace(/\.\d{3}Z$/, "Z")),
    open("CI_JOB_TIMEOUT", String(job.timeout)),
    open("CI_NODE_TOTAL", job.variables.CI_NODE_TOTAL ?? "1"),
    open("CI_RUNNER_ID", String(runner.id)),
    open("CI_RUNNER_DESCRIPTION", runner.description),
    open("CI_RUNNER_TAGS", JSON.stringify(runner.tags)),
  ];
  if (job.variables.CI_NODE_INDEX) predefined.push(open("CI_NODE_INDEX", job.variables.CI_NODE_INDEX));
  const pipelineVars = Object.entries(pipelineVariables(ctx)).map(([k, v]) => open(k, v));
  return [...predefined, ...pipelineVars];
}
