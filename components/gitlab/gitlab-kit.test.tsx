// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { tokenReport } from "@/lib/gitlab/token-report";
import { renderWithApp } from "@/tests/render";

const actions = vi.hoisted(() => ({
  gitlabRunnerStatusAction: vi.fn(),
  rotateGitlabRunnerTokenAction: vi.fn(),
  deleteGitlabRunnerAction: vi.fn(),
}));
vi.mock("@/app/(dashboard)/setup/gitlab-actions", () => actions);

const { GitlabTestReportView } = await import("./gitlab-test-report");
const { RunnerGitlabStatus } = await import("./runner-gitlab-status");

afterEach(cleanup);

describe("GitLab's test report", () => {
  it("lists each feature with the scopes it needs and whether the token has them", () => {
    const token = tokenReport(
      { username: "ci-bot", scopes: ["read_api"], expiresAt: "2027-06-01" },
      new Date("2026-12-06T12:00:00Z"),
    );
    renderWithApp(
      <GitlabTestReportView
        report={{ url: "https://gitlab.example", version: "17.5.0", revision: null, user: null, token, latencyMs: 12 }}
      />,
    );
    const table = screen.getByRole("table", { name: "What each feature needs" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(token.features.length);
    const watch = table.querySelector('[data-feature="watchJobs"]')!;
    expect(watch.getAttribute("data-available")).toBe("true");
    expect(watch.textContent).toContain("read_api");
    expect(table.querySelector('[data-feature="createRunners"]')!.textContent).toContain("✗");
    expect(screen.getByTestId("gitlab-version").textContent).toBe("17.5.0");
  });
});

describe("the runner's status in GitLab", () => {
  beforeEach(() => {
    for (const action of Object.values(actions)) action.mockReset();
    actions.gitlabRunnerStatusAction.mockResolvedValue({
      ok: true,
      value: { runnerId: 7, online: true, paused: false, contactedAt: null, version: "17.5.0", description: "ci" },
    });
  });

  it("rotates the token and says where the new one goes", async () => {
    actions.rotateGitlabRunnerTokenAction.mockResolvedValue({ ok: true, value: { reapplied: false } });
    renderWithApp(<RunnerGitlabStatus profileId="p1" />);
    await userEvent.click(await screen.findByRole("button", { name: "Rotate token" }));
    expect(actions.rotateGitlabRunnerTokenAction).toHaveBeenCalledWith("p1");
    expect((await screen.findByRole("status")).textContent).toContain("New token stored");
  });

  it("deletes the runner in GitLab only after a second, explicit click", async () => {
    actions.deleteGitlabRunnerAction.mockResolvedValue({ ok: true, value: { runnerId: 7 } });
    renderWithApp(<RunnerGitlabStatus profileId="p1" />);
    await userEvent.click(await screen.findByRole("button", { name: "Delete runner in GitLab" }));
    expect(actions.deleteGitlabRunnerAction).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole("button", { name: "Really delete it in GitLab?" }));
    await waitFor(() => expect(actions.deleteGitlabRunnerAction).toHaveBeenCalledWith("p1"));
    expect((await screen.findByRole("status")).textContent).toBe("Deleted in GitLab.");
  });
});
