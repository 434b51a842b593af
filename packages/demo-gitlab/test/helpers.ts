/** GitLab's JSON answers, read freely by the assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

import { startDemoGitlab, type DemoGitlab, type DemoGitlabOptions } from "../src/index";

/** A demo GitLab on a free loopback port, in memory, without scheduled pushes. */
export async function startTestGitlab(options: DemoGitlabOptions = {}): Promise<DemoGitlab> {
  return startDemoGitlab({ port: 0, stateDir: null, pushesPerHour: 0, longPollSeconds: 1, ...options });
}

export async function api(
  gitlab: DemoGitlab,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: Json; text: string }> {
  const token = options.token === undefined ? gitlab.info.adminToken : options.token;
  const response = await fetch(`${gitlab.info.apiUrl}${path}`, {
    method,
    headers: {
      ...(token ? { "PRIVATE-TOKEN": token } : {}),
      ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // plain text answer
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** What gitlab-runner sends (network/gitlab.go): token in the body and the RUNNER-TOKEN header. */
export async function runnerCall(
  gitlab: DemoGitlab,
  path: string,
  token: string,
  extra: Record<string, unknown> = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(`${gitlab.info.apiUrl}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "RUNNER-TOKEN": token },
    body: JSON.stringify({
      token,
      system_id: "s_0123456789ab",
      info: {
        name: "gitlab-runner",
        version: "18.6.0",
        revision: "abcdef12",
        platform: "linux",
        architecture: "amd64",
        executor: "kubernetes",
        features: { cancelable: true, cancel_gracefully: false, trace_reset: true },
      },
      ...extra,
    }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

export async function createRunner(
  gitlab: DemoGitlab,
  body: Record<string, unknown> = { runner_type: "instance_type" },
) {
  const created = await api(gitlab, "POST", "/user/runners", { body });
  if (created.status !== 201) throw new Error(`runner not created: ${created.text}`);
  return created.body as { id: number; token: string };
}

export async function requestJob(gitlab: DemoGitlab, token: string, extra: Record<string, unknown> = {}) {
  return runnerCall(gitlab, "/jobs/request", token, extra);
}

export async function updateJob(gitlab: DemoGitlab, job: { id: number; token: string }, body: Record<string, unknown>) {
  const response = await fetch(`${gitlab.info.apiUrl}/jobs/${job.id}`, {
    method: "PUT",
    headers: { "Content-Type": "application/json", "JOB-TOKEN": job.token },
    body: JSON.stringify({ token: job.token, info: {}, ...body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export async function patchTrace(
  gitlab: DemoGitlab,
  job: { id: number; token: string },
  offset: number,
  content: string,
) {
  const bytes = Buffer.from(content);
  const response = await fetch(`${gitlab.info.apiUrl}/jobs/${job.id}/trace?debug_trace=false`, {
    method: "PATCH",
    headers: {
      "JOB-TOKEN": job.token,
      "Content-Range": `${offset}-${offset + bytes.length - 1}`,
      "Content-Type": "text/plain",
    },
    body: bytes,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
