// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunState } from "@/components/wizard/use-setup-run";
import { renderWithApp } from "@/tests/render";

const actions = vi.hoisted(() => ({
  gitlabRunnerStatusAction: vi.fn(),
  deleteGitlabRunnerAction: vi.fn(),
}));
vi.mock("@/app/(dashboard)/setup/gitlab-actions", () => actions);

const { UninstallGitlabRunnerChoice, UninstallGitlabRunnerOutcome, useGitlabRunnerOnUninstall } =
  await import("./uninstall-gitlab-runner");

afterEach(cleanup);
beforeEach(() => {
  actions.gitlabRunnerStatusAction.mockReset();
  actions.deleteGitlabRunnerAction.mockReset();
  actions.deleteGitlabRunnerAction.mockResolvedValue({ ok: true, value: { runnerId: 5 } });
});

const linkedToRunner5 = { ok: true, value: { runnerId: 5, online: true, status: "online", paused: false } };
const finished = (ok: boolean): RunState => ({
  mode: "uninstall",
  running: false,
  objects: [],
  results: [],
  done: { type: "done", ok, results: [] },
});

/** The review step's use of the hook: the choice in the uninstall dialog, then the run finishing. */
function Harness() {
  const [run, setRun] = useState<RunState>({ running: false, objects: [], results: [] });
  const gitlabRunner = useGitlabRunnerOnUninstall("p1", run);
  return (
    <>
      <UninstallGitlabRunnerChoice
        linked={gitlabRunner.linked}
        chosen={gitlabRunner.chosen}
        onChange={gitlabRunner.setChosen}
      />
      <button onClick={() => setRun(finished(true))}>uninstall ok</button>
      <button onClick={() => setRun(finished(false))}>uninstall failed</button>
      <UninstallGitlabRunnerOutcome outcome={gitlabRunner.outcome} />
    </>
  );
}

describe("uninstall's offer to delete the runner in GitLab", () => {
  it("is not offered for a profile without a runner in GitLab", async () => {
    actions.gitlabRunnerStatusAction.mockResolvedValue(null);
    renderWithApp(<Harness />);
    await waitFor(() => expect(actions.gitlabRunnerStatusAction).toHaveBeenCalledWith("p1"));
    expect(screen.queryByRole("checkbox")).toBeNull();
  });

  it("deletes the runner once the uninstall finished, when chosen", async () => {
    actions.gitlabRunnerStatusAction.mockResolvedValue(linkedToRunner5);
    renderWithApp(<Harness />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("checkbox", { name: /Also delete runner #5 in GitLab/ }));
    expect(actions.deleteGitlabRunnerAction).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "uninstall ok" }));
    expect(await screen.findByText("Runner #5 deleted in GitLab.")).toBeTruthy();
    expect(actions.deleteGitlabRunnerAction).toHaveBeenCalledTimes(1);
    expect(actions.deleteGitlabRunnerAction).toHaveBeenCalledWith("p1");
    // Deleted: nothing left to offer.
    expect(screen.queryByRole("checkbox")).toBeNull();
  });

  it("keeps the runner when the uninstall did not finish", async () => {
    actions.gitlabRunnerStatusAction.mockResolvedValue(linkedToRunner5);
    renderWithApp(<Harness />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("checkbox"));
    await user.click(screen.getByRole("button", { name: "uninstall failed" }));
    expect(await screen.findByText(/left in GitLab/)).toBeTruthy();
    expect(actions.deleteGitlabRunnerAction).not.toHaveBeenCalled();
  });

  it("leaves GitLab alone when not chosen", async () => {
    actions.gitlabRunnerStatusAction.mockResolvedValue(linkedToRunner5);
    renderWithApp(<Harness />);
    const user = userEvent.setup();
    await screen.findByRole("checkbox");
    await user.click(screen.getByRole("button", { name: "uninstall ok" }));
    expect(screen.queryByTestId("uninstall-gitlab-outcome")).toBeNull();
    expect(actions.deleteGitlabRunnerAction).not.toHaveBeenCalled();
  });

  it("says what GitLab answered when the deletion fails", async () => {
    actions.gitlabRunnerStatusAction.mockResolvedValue(linkedToRunner5);
    actions.deleteGitlabRunnerAction.mockResolvedValue({
      ok: false,
      problem: { code: "forbidden", params: { status: 403, path: "/runners/5", message: "403 Forbidden" } },
    });
    renderWithApp(<Harness />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("checkbox"));
    await user.click(screen.getByRole("button", { name: "uninstall ok" }));
    const outcome = await screen.findByTestId("uninstall-gitlab-outcome");
    expect(outcome.getAttribute("data-outcome")).toBe("failed");
    expect(outcome.textContent).toMatch(/could not be deleted in GitLab: .*403/);
  });
});
