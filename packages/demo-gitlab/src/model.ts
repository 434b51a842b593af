/**
 * The demo GitLab's records. Field names follow GitLab's database columns where that helps reading
 * the API entities beside them (entities.ts); secrets are kept only as SHA-256 digests.
 */

/** GitLab's access levels (Gitlab::Access). */
export const ACCESS = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 } as const;

export interface User {
  id: number;
  username: string;
  name: string;
  email: string;
  /** scrypt, "salt:hash" in hex. */
  passwordHash: string;
  isAdmin: boolean;
  state: "active" | "blocked";
  createdAt: string;
}

export interface PersonalAccessToken {
  id: number;
  userId: number;
  name: string;
  tokenDigest: string;
  scopes: string[];
  /** A date (YYYY-MM-DD), as GitLab stores it, or null for a token that never expires. */
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

export interface Group {
  id: number;
  name: string;
  path: string;
  fullPath: string;
  parentId: number | null;
  description: string;
  createdAt: string;
}

export interface Membership {
  sourceType: "Namespace" | "Project";
  sourceId: number;
  userId: number;
  accessLevel: number;
  createdAt: string;
}

export interface Commit {
  sha: string;
  parentSha: string | null;
  title: string;
  message: string;
  authorName: string;
  authorEmail: string;
  authoredAt: string;
  ref: string;
}

export interface Project {
  id: number;
  name: string;
  path: string;
  namespaceId: number;
  description: string;
  defaultBranch: string;
  visibility: "private" | "internal" | "public";
  createdAt: string;
  lastActivityAt: string;
  creatorId: number;
  /** Files of the default branch: path → content. */
  files: Record<string, string>;
  branches: string[];
  /** Newest last. */
  commits: Commit[];
  /** Project CI/CD variables (key → value), passed to jobs like GitLab does. */
  variables: Record<string, string>;
}

export type JobStatus =
  | "created"
  | "waiting_for_resource"
  | "preparing"
  | "pending"
  | "running"
  | "success"
  | "failed"
  | "canceling"
  | "canceled"
  | "skipped"
  | "manual"
  | "scheduled";

export type PipelineStatus = Exclude<JobStatus, "canceling">;

export type JobWhen = "on_success" | "on_failure" | "always" | "manual" | "never";

export interface ServiceSpec {
  name: string;
  alias?: string;
  command?: string[];
  entrypoint?: string[];
  variables?: Record<string, string>;
}

export interface ImageSpec {
  name: string;
  entrypoint?: string[];
  pullPolicy?: string[];
}

export interface ArtifactsSpec {
  name?: string;
  paths: string[];
  exclude?: string[];
  when: "on_success" | "on_failure" | "always";
  expireIn?: string;
  untracked: boolean;
  reportsJunit?: string[];
}

export interface CacheSpec {
  key: string;
  paths: string[];
  policy: "pull-push" | "pull" | "push";
  when: "on_success" | "on_failure" | "always";
  untracked: boolean;
}

export interface Pipeline {
  id: number;
  iid: number;
  projectId: number;
  sha: string;
  beforeSha: string;
  ref: string;
  tag: boolean;
  status: PipelineStatus;
  source: "push" | "web" | "api" | "schedule" | "trigger";
  userId: number;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Variables given when the pipeline was created (POST /projects/:id/pipeline). */
  variables: Record<string, string>;
  /** Set when .gitlab-ci.yml did not parse: the pipeline is created failed, as GitLab does. */
  yamlErrors: string | null;
  /** The config's stages in order, including .pre and .post. */
  stages: string[];
}

export interface Job {
  id: number;
  projectId: number;
  pipelineId: number;
  name: string;
  stage: string;
  stageIdx: number;
  status: JobStatus;
  when: JobWhen;
  allowFailure: boolean;
  /** Job names this job needs (DAG); null for stage ordering. */
  needs: string[] | null;
  image: ImageSpec | null;
  services: ServiceSpec[];
  tags: string[];
  variables: Record<string, string>;
  beforeScript: string[];
  script: string[];
  afterScript: string[];
  /** Seconds, from the job's `timeout:` or the project's default (1 h). */
  timeout: number;
  retryMax: number;
  retryWhen: string[];
  artifacts: ArtifactsSpec | null;
  cache: CacheSpec[];
  /** Earlier attempts of the same job are kept with retried=true, as GitLab keeps them. */
  retried: boolean;
  userId: number;
  createdAt: string;
  queuedAt: string | null;
  startedAt: string | null;
  /**
   * When the runner last updated the job (PUT/PATCH; taking it) or it was asked to cancel: GitLab's
   * updated_at for the stuck-job cleanup (CiEngine.dropStuckJobs).
   */
  heartbeatAt: string | null;
  finishedAt: string | null;
  erasedAt: string | null;
  runnerId: number | null;
  /** The system_id of the runner manager (process) that took the job. */
  runnerManagerSystemId: string | null;
  tokenDigest: string | null;
  traceSize: number;
  failureReason: string | null;
  exitCode: number | null;
  coverage: number | null;
}

export type RunnerType = "instance_type" | "group_type" | "project_type";

/** A runner process (gitlab-runner instance) using a runner's token, identified by its system_id. */
export interface RunnerManager {
  systemId: string;
  createdAt: string;
  contactedAt: string | null;
  version: string | null;
  revision: string | null;
  platform: string | null;
  architecture: string | null;
  executor: string | null;
  ipAddress: string | null;
  cancelGracefully: boolean;
}

export interface Runner {
  id: number;
  runnerType: RunnerType;
  groupId: number | null;
  projectIds: number[];
  description: string;
  maintenanceNote: string;
  tags: string[];
  runUntagged: boolean;
  locked: boolean;
  paused: boolean;
  accessLevel: "not_protected" | "ref_protected";
  maximumTimeout: number | null;
  tokenDigest: string;
  tokenExpiresAt: string | null;
  createdAt: string;
  creatorId: number | null;
  contactedAt: string | null;
  managers: RunnerManager[];
  /** The runner's queue value (X-GitLab-Last-Update), ticked when it may have new work. */
  queueVersion: string;
  queueVersionAt?: number;
}

export interface Hook {
  id: number;
  projectId: number;
  url: string;
  /** Sent back as X-Gitlab-Token; GitLab never shows it again after creation. */
  token: string | null;
  name: string;
  pushEvents: boolean;
  jobEvents: boolean;
  pipelineEvents: boolean;
  enableSslVerification: boolean;
  createdAt: string;
  /** Recent deliveries (newest last), for tests and debugging. */
  deliveries: HookDelivery[];
  disabledUntil: string | null;
  recentFailures: number;
}

export interface HookDelivery {
  event: string;
  status: number | null;
  error: string | null;
  at: string;
}
