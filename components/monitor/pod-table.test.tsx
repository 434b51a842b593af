// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultPriceBook } from "@/lib/cost/prices";
import { toPodSummary, type PodSummary } from "@/lib/monitor/pod-summary";
import { jobPod } from "@/lib/monitor/testing/pods";
import { giveElementsASize, renderWithApp } from "@/tests/render";
import { PodTable } from "./pod-table";

const book = defaultPriceBook("cn");
const NOW = Date.parse("2026-01-01T00:10:00Z");

function summary(uid: string, phase: "Pending" | "Running" | "Succeeded" | "Failed", patch: Partial<PodSummary> = {}) {
  return { ...toPodSummary(jobPod(uid, "1", phase, { started: "2026-01-01T00:01:00Z" }), book), ...patch };
}

function table(pods: PodSummary[], overrides: Partial<Parameters<typeof PodTable>[0]> = {}) {
  const props = {
    pods,
    now: NOW,
    sort: { key: "age" as const, descending: true },
    onSort: vi.fn(),
    selected: null,
    onSelect: vi.fn(),
    stale: false,
    waiting: false,
    ...overrides,
  };
  renderWithApp(<PodTable {...props} />);
  return props;
}

beforeAll(() => giveElementsASize());
afterEach(cleanup);

describe("PodTable", () => {
  it("shows a live row's GitLab job: its status and a link to its pipeline", async () => {
    const running = summary("a", "Running");
    table([running], {
      gitlabJobs: new Map([
        [
          running.uid,
          {
            gitlabConnectionId: "gl1",
            jobId: 42,
            status: "running",
            runnerId: 7,
            name: "test",
            projectPath: "group/app",
            pipelineId: 900,
            webUrl: null,
            startedAt: null,
            finishedAt: null,
          },
        ],
      ]),
    });
    const row = await screen.findByTestId("pod-row");
    expect(row.dataset.gitlabStatus).toBe("running");
    expect(within(row).getByTestId("pod-gitlab-status").textContent).toBe("running");
    expect(within(row).getByTestId("pod-gitlab-pipeline").getAttribute("href")).toBe("/pipelines/gl1/900");
    expect(within(row).getByTestId("pod-gitlab-pipeline").textContent).toBe("pipeline #900");
  });

  it("warns on a running pod ECI is about to reclaim, without calling it ended or stuck", async () => {
    const running = summary("a", "Running");
    const notice = {
      kind: "spotToBeReleased" as const,
      namespace: running.namespace,
      podName: running.name,
      podUid: running.uid,
      message: "Spot ECI will be released in 3 minutes",
      at: "2026-01-01T00:09:00Z",
    };
    table([running], { notices: [notice] });
    const row = await screen.findByTestId("pod-row");
    expect(row.dataset.phase).toBe("Running");
    expect(row.dataset.notice).toBe("spotToBeReleased");
    expect(within(row).getByTestId("pod-notice").textContent).toContain("Spot instance to be released");
    expect(within(row).getByTestId("pod-notice").getAttribute("title")).toBe(notice.message);
    expect(within(row).queryByTestId("stuck-flag")).toBeNull();
  });

  it("shows one row per pod with its phase, job and a cost", async () => {
    table([summary("a", "Running"), summary("b", "Pending")]);
    const rows = await screen.findAllByTestId("pod-row");
    expect(rows.map((r) => r.dataset.phase).sort()).toEqual(["Pending", "Running"]);
    const running = rows.find((r) => r.dataset.phase === "Running")!;
    expect(within(running).getByRole("link").textContent).toBe("test #42");
    expect(within(running).getByTestId("pod-phase").textContent).toBe("Running");
    expect(running.textContent).toMatch(/¥/);
  });

  it("flags a job pod still Running past its job's timeout (from the runner's annotation) as stuck", async () => {
    const pod = (uid: string, timeout: string) => {
      const raw = jobPod(uid, "1", "Running", { started: "2026-01-01T00:01:00Z" });
      raw.metadata!.annotations!["job.runner.gitlab.com/timeout"] = timeout;
      return toPodSummary(raw, book);
    };
    // NOW is 9 minutes after the start: a 2-minute job is long overdue, a 1-hour one is not.
    table([pod("late", "2m0s"), pod("fine", "1h0m0s")]);
    const rows = await screen.findAllByTestId("pod-row");
    const late = rows.find((r) => r.dataset.podName?.endsWith("late"))!;
    const fine = rows.find((r) => r.dataset.podName?.endsWith("fine"))!;
    expect(within(late).getByTestId("stuck-flag").textContent).toContain("Running past its job's timeout");
    expect(within(fine).queryByTestId("stuck-flag")).toBeNull();
  });

  it("says Terminating on a pod whose deletion has begun (the runner's delete while Running), as kubectl does", async () => {
    table([summary("going", "Running", { deletingAt: NOW - 5_000 }), summary("staying", "Running")]);
    const rows = await screen.findAllByTestId("pod-row");
    const going = rows.find((r) => r.dataset.podName?.endsWith("going"))!;
    const staying = rows.find((r) => r.dataset.podName?.endsWith("staying"))!;
    expect(going.dataset.deleting).toBe("true");
    expect(within(going).getByTestId("pod-terminating").textContent).toBe("Terminating");
    expect(staying.dataset.deleting).toBeUndefined();
    expect(within(staying).queryByTestId("pod-terminating")).toBeNull();
  });

  it("tells an empty table from one still waiting for its first list", () => {
    table([], { waiting: true });
    expect(screen.getByText(/waiting|connecting/i)).toBeTruthy();
    cleanup();
    table([], { waiting: false });
    expect(screen.queryByTestId("pod-row")).toBeNull();
    expect(screen.queryByText(/waiting|connecting/i)).toBeNull();
  });

  it("selects a pod on click and sorts by the clicked column", () => {
    const pods = [summary("a", "Running")];
    const props = table(pods);
    fireEvent.click(screen.getByTestId("pod-row"));
    expect(props.onSelect).toHaveBeenCalledWith(pods[0]);
    fireEvent.click(screen.getByRole("button", { name: /cost/i }));
    expect(props.onSort).toHaveBeenCalledWith("cost");
  });

  it("marks the sorted column for assistive technology", () => {
    table([summary("a", "Running")], { sort: { key: "cost", descending: false } });
    const header = screen.getAllByRole("columnheader").find((h) => h.getAttribute("aria-sort"));
    expect(header?.textContent).toMatch(/cost/i);
    expect(header?.getAttribute("aria-sort")).toBe("ascending");
  });

  it("keeps values from the cluster as text: a javascript: job URL is no link, markup is not rendered", () => {
    const hostile = jobPod("x", "1", "Running");
    hostile.metadata!.annotations = {
      ...hostile.metadata!.annotations,
      "job.runner.gitlab.com/url": "javascript:alert(1)",
      "job.runner.gitlab.com/name": '<img src=x onerror="alert(1)">',
      "job.runner.gitlab.com/ref": "<b>main</b>",
    };
    table([toPodSummary(hostile, book)]);
    const row = screen.getByTestId("pod-row");
    expect(row.querySelector("img, b")).toBeNull();
    expect(row.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(row.textContent).toContain("<b>main</b>");
    expect(within(row).queryByRole("link")).toBeNull();
  });
});
