import { parseArgs } from "node:util";
import type { DemoGitlabOptions } from "./index";

export const DEMO_GITLAB_HELP = `Usage: npm run demo-gitlab -- [options]

Starts the demo GitLab: the REST API v4 subset, the runner protocol, pipelines from each project's
.gitlab-ci.yml, webhooks and an OpenID Connect provider, on loopback.

Options:
  --port <n>              Port to listen on (default 8929; 0 picks a free port)
  --host <addr>           Address to listen on (default 127.0.0.1)
  --state <dir>           State directory: records, job logs, credentials (default ./data/demo-gitlab).
                          Delete it to start from scratch.
  --info <file>           Where to write the connection file: URL, admin token, demo users and
                          passwords, OIDC client (default <state>/../demo-gitlab.json)
  --seed <n>              Seed of the simulated pushes: commits, authors, branches, timing (default 42)
  --pushes-per-hour <n>   Simulated pushes over all projects per hour, each starting a pipeline
                          (default 20; 0: pipelines start only through the API)
  --long-poll <s>         How long POST /jobs/request waits for work, as Workhorse's
                          apiCiLongPollingDuration (default 50; 0 turns long polling off)
  --rate-limit <n>        Authenticated API requests per minute per token (default 2000)
  --stuck-running <s>     A running job its runner has not updated for this long fails as stuck
                          (stuck_or_timeout_failure), as GitLab's stuck-job cleanup (default 3600)
  --stuck-pending <s>     Likewise a job pending this long (default 86400)
  --stuck-canceling <s>   Likewise a job canceling this long, its runner gone (default 3600)
  --stuck-check <s>       How often stuck jobs are looked for; GitLab: hourly (default 3600)
  --oidc-redirect-uri <u> Redirect URI of the OIDC application registered for ask-ci; repeat for
                          several (default http://localhost:3000/login/gitlab/callback and the
                          same on 127.0.0.1)
  --log-requests          Log every request to stderr
  -h, --help              Show this help

Example:
  npm run demo-gitlab -- --port 8929 --seed 7
  curl -H "PRIVATE-TOKEN: <adminToken from the info file>" http://127.0.0.1:8929/api/v4/projects
`;

export type CliOptions = DemoGitlabOptions & { stateDir: string; infoPath: string };
export type CliParse = { kind: "help" } | { kind: "error"; message: string } | { kind: "run"; options: CliOptions };

const RULES: Record<string, { min: number; max?: number; integer: boolean; expected: string }> = {
  port: { min: 0, max: 65535, integer: true, expected: "an integer from 0 to 65535" },
  seed: { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, expected: "a non-negative integer" },
  "pushes-per-hour": { min: 0, max: 3600, integer: false, expected: "a number from 0 to 3600" },
  "long-poll": { min: 0, max: 600, integer: false, expected: "a number of seconds from 0 to 600" },
  "rate-limit": { min: 1, integer: true, expected: "a positive integer" },
  "stuck-running": { min: 1, integer: false, expected: "a number of seconds, at least 1" },
  "stuck-pending": { min: 1, integer: false, expected: "a number of seconds, at least 1" },
  "stuck-canceling": { min: 1, integer: false, expected: "a number of seconds, at least 1" },
  "stuck-check": { min: 1, max: 86_400, integer: false, expected: "a number of seconds from 1 to 86400" },
};

class UsageError extends Error {}

function numberOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const rule = RULES[name];
  const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    n >= rule.min &&
    (rule.max === undefined || n <= rule.max);
  if (!ok) throw new UsageError(`--${name} must be ${rule.expected}, got ${JSON.stringify(raw)}`);
  return n;
}

const milliseconds = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000);

function redirectUris(values: string[] | undefined): string[] | undefined {
  if (!values) return undefined;
  for (const value of values) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new UsageError(`--oidc-redirect-uri must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new UsageError(`--oidc-redirect-uri must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
    }
  }
  return values;
}

export function parseDemoGitlabArgs(args: string[]): CliParse {
  try {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        state: { type: "string" },
        info: { type: "string" },
        seed: { type: "string" },
        "pushes-per-hour": { type: "string" },
        "long-poll": { type: "string" },
        "rate-limit": { type: "string" },
        "stuck-running": { type: "string" },
        "stuck-pending": { type: "string" },
        "stuck-canceling": { type: "string" },
        "stuck-check": { type: "string" },
        "oidc-redirect-uri": { type: "string", multiple: true },
        "log-requests": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) return { kind: "help" };
    const stateDir = values.state ?? "./data/demo-gitlab";
    return {
      kind: "run",
      options: {
        port: numberOption(values, "port") ?? 8929,
        host: values.host ?? "127.0.0.1",
        stateDir,
        infoPath: values.info ?? `${stateDir.replace(/\/+$/, "")}/../demo-gitlab.json`,
        seed: numberOption(values, "seed") ?? 42,
        pushesPerHour: numberOption(values, "pushes-per-hour"),
        longPollSeconds: numberOption(values, "long-poll"),
        rateLimitPerMinute: numberOption(values, "rate-limit"),
        stuckJobs: {
          runningMs: milliseconds(numberOption(values, "stuck-running")),
          pendingMs: milliseconds(numberOption(values, "stuck-pending")),
          cancelingMs: milliseconds(numberOption(values, "stuck-canceling")),
          checkEveryMs: milliseconds(numberOption(values, "stuck-check")),
        },
        oidcRedirectUris: redirectUris(values["oidc-redirect-uri"]),
        logRequests: values["log-requests"] ?? false,
      },
    };
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
}
