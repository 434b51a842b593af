// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { JobOrphan, MonitorGitlabJob, PodOrphan } from "@/lib/gitlab/monitor-orphans";
import type { RunnerInfo } from "@/lib/monitor/runner-info";
import { RoleProvider } from "@/components/auth/role-context";
import { renderWithApp } from "@/tests/render";
import { GitlabOrphans } from "./gitlab-orphans";
import { RunnerCards } from "./runner-cards";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const job = (jobId: number, status: string): MonitorGitlabJob => ({
  gitlabConnectionId: "gl",
  jobId,
  status,
  runnerId: 7,
  name: "build",
  projectPath: "group/app",
  pipelineId: 50,
  webUrl: `https://gitlab.example.com/group/app/-/jobs/${jobId}`,
  startedAt: null,
  finishedAt: null,
});
const podOrphan: PodOrphan = {
  kind: "podWithoutJob",
  job: job(2, "canceled"),
  finishedForMs: 300_000,
  pod: {
    uid: "u2",
    name: "runner-x-project-1-concurrent-0-abc",
    namespace: "gitlab-runner",
    phase: "Running",
    deletingAt: null,
    createdAt: 0,
    jobId: "2",
    projectId: "1",
    jobUrl: null,
  },
};
const jobOrphan: JobOrphan = { kind: "jobWithoutPod", job: job(1, "running"), runningForMs: 600_000 };

describe("the orphans panel", () => {
  it("names both kinds and deletes the billing pod after a confirmation", async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ deleted: true }), { status: 200 }));
    vi.stubGlobal("fetch", fetchMock);
    const onSelectPod = vi.fn();
    renderWithApp(
      <RoleProvider role="operator">
        <GitlabOrphans
          cluster="demo"
          jobsWithoutPods={[jobOrphan]}
          podsWithoutJobs={[podOrphan]}
          onSelectPod={onSelectPod}
        />
      </RoleProvider>,
    );
    expect(screen.getByTestId("orphan-pod").textContent).toMatch(/build #2 ended 5m 00s ago \(canceled\)/);
    expect(screen.getByTestId("orphan-job").textContent).toMatch(
      /build #1 \(group\/app\) has been running .* for 10m 00s/,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Show pod" }));
    expect(onSelectPod).toHaveBeenCalledWith("u2");
    await user.click(screen.getByRole("button", { name: "Delete pod" }));
    expect(fetchMock).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: /Really delete/ }));
    await waitFor(() =>
      expect(fetchMock).toHaveBeenCalledWith(
        "/api/monitor/pods/gitlab-runner/runner-x-project-1-concurrent-0-abc?cluster=demo",
        { method: "DELETE" },
      ),
    );
    expect(await screen.findByText("Deleted.")).toBeTruthy();
  });

  it("offers a viewer the pod, not its deletion", () => {
    renderWithApp(
      <RoleProvider role="viewer">
        <GitlabOrphans cluster="demo" jobsWithoutPods={[]} podsWithoutJobs={[podOrphan]} onSelectPod={vi.fn()} />
      </RoleProvider>,
    );
    expect(screen.getByRole("button", { name: "Show pod" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Delete pod" })).toBeNull();
  });

  it("is not there when GitLab and the cluster agree", () => {
    renderWithApp(<GitlabOrphans cluster="demo" jobsWithoutPods={[]} podsWithoutJobs={[]} onSelectPod={vi.fn()} />);
    expect(screen.queryByTestId("gitlab-orphans")).toBeNull();
  });
});

describe("the runner card's GitLab row", () => {
  const info: RunnerInfo = {
    name: "java-instance",
    namespace: "gitlab-runner",
    desired: 1,
    ready: 1,
    updated: 1,
    available: 1,
    pods: [],
    config: null,
  };
  const linked = {
    profileId: "p",
    profileName: "java",
    instanceName: "java-instance",
    namespace: "gitlab-runner",
    gitlabConnectionId: "gl",
    runnerId: 7,
    problem: null,
  };

  it("shows GitLab's status of the Deployment's runner", () => {
    renderWithApp(
      <RunnerCards
        runners={[info]}
        error={null}
        namespace="gitlab-runner"
        pods={[]}
        gitlab={[{ ...linked, status: { online: false, paused: true, contactedAt: null, version: "17.11.0" } }]}
      />,
    );
    const row = screen.getByTestId("runner-gitlab");
    expect(row.getAttribute("data-state")).toBe("paused");
    expect(row.textContent).toBe("runner #7 paused never contacted · version 17.11.0");
  });

  it("says GitLab did not answer, and shows nothing for a runner not linked to GitLab", () => {
    renderWithApp(
      <RunnerCards
        runners={[info, { ...info, name: "unlinked" }]}
        error={null}
        namespace="gitlab-runner"
        pods={[]}
        gitlab={[{ ...linked, status: null, problem: { code: "notFound" } }]}
      />,
    );
    expect(screen.getAllByTestId("runner-gitlab").map((row) => row.textContent)).toEqual([
      "runner #7: GitLab did not answer (notFound)",
    ]);
  });
});
