import type { DemoGitlab } from "@ask-ci/demo-gitlab";

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
