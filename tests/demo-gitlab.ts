import type { DemoCluster } from "@ask-ci/demo-cluster";
import type { DemoGitlab } from "@ask-ci/demo-gitlab";
import { generateManifests } from "@/lib/manifests";
import { runnerSettingsSchema } from "@/lib/runner-settings/schema";

/** The demo GitLab on an ephemeral loopback port, quiet: no pushes of its own, no long polling, nothing on disk. */
export async function startQuietDemoGitlab(): Promise<DemoGitlab> {
  const { startDemoGitlab } = await import("@ask-ci/demo-gitlab");
  return startDemoGitlab({ port: 0, stateDir: null, pushesPerHour: 0, longPollSeconds: 0 });
}

/**
 * Registers it as the GitLab connection "demo-gitlab" with its admin token and returns the connection's
 * id. Imports the dashboard's service lazily, so call it after useFreshDatabase().
 */
export async function addDemoGitlabConnection(gitlab: DemoGitlab): Promise<string> {
  const service = await import("@/lib/gitlab/service.server");
  const added = await service.addGitlabConnection({
    name: "demo-gitlab",
    credentials: { url: gitlab.url, token: gitlab.info.adminToken, caCertificate: undefined },
  });
  if (!added.ok) throw new Error(added.problem.code);
  return added.value.id;
}

/** A call to the demo GitLab's REST API as its admin (JSON in and out; null for 204); throws on any other non-2xx. */
export function demoGitlabAdminApi(gitlab: DemoGitlab) {
  return async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const response = await fetch(`${gitlab.url}/api/v4${path}`, {
      method: init.method ?? "GET",
      headers: { "content-type": "application/json", "private-token": gitlab.info.adminToken },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${response.status}`);
    return (response.status === 204 ? null : await response.json()) as T;
  };
}

/**
 * A runner deployed into the demo cluster from our own generated manifests, as the wizard would
 * deploy it, with a runner token the demo GitLab issued. Job pods use cached images, so a test waits
 * for GitLab, not for image pulls.
 */
export function deployDemoRunner(
  cluster: DemoCluster,
  gitlab: DemoGitlab,
  runner: { namespace: string; token: string; concurrent: number },
): void {
  const settings = runnerSettingsSchema.parse({
    cluster: { namespace: runner.namespace, instanceName: runner.namespace },
    gitlab: {
      url: `${gitlab.url}/`,
      runnerToken: runner.token,
      runnerName: runner.namespace,
      concurrent: runner.concurrent,
    },
    jobPods: { podAnnotations: { "k8s.aliyun.com/eci-image-cache": "true" } },
  });
  for (const object of generateManifests(settings)) cluster.store.create(object);
}
