import { z } from "zod";

/**
 * The parts of GitLab's REST v4 answers the dashboard reads (docs: api/jobs.md, api/pipelines.md,
 * api/runners.md, api/users.md, api/personal_access_tokens.md, api/projects.md, api/project_webhooks.md).
 * Unknown fields are dropped; fields GitLab added in later versions are optional so older
 * self-managed instances validate too. A body that does not match is `invalidResponse`, never a crash.
 */

const id = z.number().int().nonnegative();
const time = z.string().nullable().optional();
const text = z.string().nullable().optional();

export const versionSchema = z.object({ version: z.string(), revision: z.string().optional() });

export const userSchema = z.object({
  id,
  username: z.string(),
  name: z.string().optional(),
  state: z.string().optional(),
  bot: z.boolean().optional(),
  is_admin: z.boolean().optional(),
});
export type GitlabUser = z.infer<typeof userSchema>;

export const tokenSelfSchema = z.object({
  id,
  name: z.string(),
  revoked: z.boolean().optional(),
  active: z.boolean().optional(),
  scopes: z.array(z.string()),
  user_id: id.optional(),
  created_at: time,
  last_used_at: time,
  expires_at: time,
});
export type GitlabTokenSelf = z.infer<typeof tokenSelfSchema>;

const jobUserSchema = z.object({ id, username: z.string(), name: z.string().optional() }).nullable().optional();

export const pipelineSchema = z.object({
  id,
  iid: id.optional(),
  project_id: id,
  status: z.string(),
  source: text,
  ref: text,
  sha: text,
  tag: z.boolean().optional(),
  web_url: text,
  created_at: time,
  updated_at: time,
  started_at: time,
  finished_at: time,
  duration: z.number().nullable().optional(),
  queued_duration: z.number().nullable().optional(),
  user: jobUserSchema,
});
export type GitlabPipeline = z.infer<typeof pipelineSchema>;

export const jobSchema = z.object({
  id,
  name: z.string(),
  stage: z.string(),
  status: z.string(),
  ref: text,
  tag: z.boolean().optional(),
  allow_failure: z.boolean().optional(),
  failure_reason: text,
  created_at: time,
  started_at: time,
  finished_at: time,
  erased_at: time,
  duration: z.number().nullable().optional(),
  queued_duration: z.number().nullable().optional(),
  web_url: text,
  user: jobUserSchema,
  commit: z.object({ id: z.string(), short_id: z.string().optional(), title: text }).nullable().optional(),
  pipeline: z
    .object({ id, project_id: id.optional(), ref: text, sha: text, status: text, source: text })
    .nullable()
    .optional(),
  // Present on /runners/:id/jobs; on project endpoints the project is the path parameter.
  project: z.object({ id: id.optional(), path_with_namespace: z.string().optional() }).nullable().optional(),
  runner: z.object({ id, description: text }).nullable().optional(),
  tag_list: z.array(z.string()).optional(),
});
export type GitlabJob = z.infer<typeof jobSchema>;

export const projectSchema = z.object({
  id,
  name: z.string(),
  path_with_namespace: z.string(),
  web_url: text,
  default_branch: text,
});
export type GitlabProject = z.infer<typeof projectSchema>;

export const runnerSchema = z.object({
  id,
  description: text,
  paused: z.boolean().optional(),
  active: z.boolean().optional(),
  online: z.boolean().nullable().optional(),
  status: z.string().optional(),
  runner_type: z.string().optional(),
  contacted_at: time,
  version: text,
  tag_list: z.array(z.string()).optional(),
  run_untagged: z.boolean().optional(),
  locked: z.boolean().optional(),
  maximum_timeout: z.number().nullable().optional(),
});
export type GitlabRunner = z.infer<typeof runnerSchema>;

export const runnerManagerSchema = z.object({
  id,
  system_id: z.string().optional(),
  version: text,
  contacted_at: time,
  status: z.string().optional(),
});

export const createdRunnerSchema = z.object({ id, token: z.string().startsWith("glrt-"), token_expires_at: time });
export type CreatedRunner = z.infer<typeof createdRunnerSchema>;

export const verifiedRunnerSchema = z.object({
  id: id.optional(),
  token: z.string().optional(),
  token_expires_at: time,
});

export const resetTokenSchema = z.object({ token: z.string(), token_expires_at: time });

export const hookSchema = z.object({
  id,
  url: z.string(),
  job_events: z.boolean().optional(),
  pipeline_events: z.boolean().optional(),
  enable_ssl_verification: z.boolean().optional(),
});
export type GitlabHook = z.infer<typeof hookSchema>;
