/**
 * `npm run demo`'s runners, registered in the demo GitLab: the runners of settings.yaml, each
 * created in GitLab as the wizard's "Create the runner in GitLab" does (`POST /user/runners`, an
 * instance runner that takes untagged jobs), its `glrt-` token and the demo GitLab's URL put into
 * the same settings, and the manifests made from them by the wizard's generator. The demo cluster
 * deploys those, so its simulated runners take the demo GitLab's pipeline jobs over the runner
 * protocol; the dashboard gets the same settings as runner profiles linked to those GitLab runners
 * (ASK_CI_BOOTSTRAP_RUNNERS, lib/wizard/bootstrap.server.ts), so its GitLab link follows their jobs.
 *
 * What was created is kept in <data dir>/demo-runners.json (mode 0600: it holds the tokens) and
 * reused while the demo GitLab still knows the runner.
 */
import fs from "node:fs";
import { parse } from "yaml";
import type { KubeObject } from "@/lib/manifests/types";
import { generateManifests } from "@/lib/manifests";
import { runnerSettingsSchema, type RunnerSettings } from "@/lib/runner-settings/schema";
import { SETTINGS_FILE } from "./generate";

export interface DemoRunner {
  /** The profile and runner name (settings' gitlab.runnerName). */
  name: string;
  /** The runner's id in the demo GitLab. */
  gitlabRunnerId: number;
  /** Complete settings, token included. */
  settings: RunnerSettings;
}

export interface DemoRunnersFile {
  gitlabUrl: string;
  runners: DemoRunner[];
}

interface GitlabAdmin {
  /** The instance URL, e.g. http://127.0.0.1:8929 */
  url: string;
  adminToken: string;
}

/** The runners of settings.yaml (the demo cluster's own, with made-up tokens for the built-in GitLab). */
export function demoRunnerInputs(): unknown[] {
  return parse(fs.readFileSync(SETTINGS_FILE, "utf8")) as unknown[];
}

/** One runner's settings pointed at `gitlabUrl` with the token GitLab issued. */
export function settingsForGitlab(input: unknown, gitlabUrl: string, token: string): RunnerSettings {
  const parsed = runnerSettingsSchema.parse(input);
  return runnerSettingsSchema.parse({
    ...parsed,
    gitlab: { ...parsed.gitlab, url: `${gitlabUrl.replace(/\/+$/, "")}/`, runnerToken: token },
  });
}

/** The manifests of these runners, each object once (several runners share the namespace). */
export function demoRunnerObjects(settings: RunnerSettings[]): KubeObject[] {
  const seen = new Set<string>();
  return settings
    .flatMap((s) => generateManifests(s))
    .filter((o) => {
      const key = `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

async function gitlabApi(gitlab: GitlabAdmin, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${gitlab.url.replace(/\/+$/, "")}/api/v4${path}`, {
    method,
    headers: { "content-type": "application/json", "private-token": gitlab.adminToken },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
}

function readFile(file: string): DemoRunnersFile | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as DemoRunnersFile;
  } catch {
    return null;
  }
}

/**
 * The demo's runners in the demo GitLab: those recorded in `file` that GitLab still knows (same
 * URL), the others created now. Writes `file` and returns its content.
 */
export async function ensureDemoRunners(gitlab: GitlabAdmin, file: string): Promise<DemoRunnersFile> {
  const known = readFile(file);
  const runners: DemoRunner[] = [];
  for (const input of demoRunnerInputs()) {
    const name = runnerSettingsSchema.parse(input).gitlab.runnerName;
    const recorded = known?.runners.find((r) => r.name === name);
    if (recorded && (await gitlabApi(gitlab, "GET", `/runners/${recorded.gitlabRunnerId}`)).ok) {
      runners.push({
        ...recorded,
        settings: settingsForGitlab(input, gitlab.url, recorded.settings.gitlab.runnerToken),
      });
      continue;
    }
    const created = await gitlabApi(gitlab, "POST", "/user/runners", {
      runner_type: "instance_type",
      description: name,
      run_untagged: true,
    });
    if (created.status !== 201) throw new Error(`demo GitLab refused to create runner ${name}: ${created.status}`);
    const { id, token } = (await created.json()) as { id: number; token: string };
    runners.push({ name, gitlabRunnerId: id, settings: settingsForGitlab(input, gitlab.url, token) });
  }
  const content: DemoRunnersFile = { gitlabUrl: gitlab.url, runners };
  fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return content;
}
