// @vitest-environment happy-dom
import { act, cleanup, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PipelineDetail } from "@/lib/gitlab/pipelines.server";
import { renderWithApp } from "@/tests/render";
import { PipelineView } from "./pipeline-view";

// The job buttons call server actions; this test is about the view.
vi.mock("./pipeline-controls", () => ({ JobButtons: () => null }));

/** The page's EventSource, driven by the test. */
class FakeEventSource {
  static CLOSED = 2;
  static last: FakeEventSource | null = null;
  readyState = 1;
  onerror: (() => void) | null = null;
  private readonly listeners = new Map<string, Array<(event: { data: string }) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (event: { data: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  emit(type: string, data: unknown) {
    act(() => {
      for (const listener of this.listeners.get(type) ?? []) listener({ data: JSON.stringify(data) });
    });
  }
  fail() {
    act(() => this.onerror?.());
  }
}

function detail(status: string, jobStatus: string): PipelineDetail {
  return {
    pipeline: {
      pipelineId: 42,
      projectId: 3,
      projectPath: "acme/web/storefront",
      status,
      ref: "main",
      mergeRequestIid: null,
      source: "push",
      userName: "alice",
      createdAt: null,
      durationSeconds: null,
      jobs: 1,
      cost: {},
      webUrl: null,
      sha: null,
    },
    jobs: [
      {
        jobId: 7,
        pipelineId: 42,
        projectId: 3,
        projectPath: "acme/web/storefront",
        name: "lint",
        stage: "test",
        status: jobStatus,
        ref: "main",
        mergeRequestIid: null,
        userName: "alice",
        createdAt: null,
        startedAt: null,
        finishedAt: null,
        durationSeconds: null,
        queuedSeconds: null,
        pod: null,
        queue: { waitingForRunnerMs: null, runnerPreparingMs: null, podStartingMs: null },
        costMicros: null,
        currency: null,
        billedSeconds: null,
      },
    ],
    total: {},
    refreshProblem: null,
  };
}

beforeEach(() => {
  vi.stubGlobal("EventSource", FakeEventSource);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("PipelineView", () => {
  it("shows the server's view, then each view the stream sends, and says when it is live", () => {
    renderWithApp(<PipelineView gitlabConnectionId="gl1" initial={detail("running", "running")} operator={false} />);
    const source = FakeEventSource.last!;
    expect(source.url).toBe("/api/pipelines/gl1/42/stream");
    expect(screen.getByTestId("pipeline-summary").dataset.status).toBe("running");
    expect(screen.getByRole("status").textContent).toBe("Connecting…");

    source.emit("pipeline", detail("canceled", "canceled"));
    source.emit("status", { state: "live", since: 1 });
    expect(screen.getByTestId("pipeline-summary").dataset.status).toBe("canceled");
    expect(document.querySelector("tr[data-job='7']")?.getAttribute("data-status")).toBe("canceled");
    expect(screen.getByRole("status").textContent).toBe("Live");
  });

  it("never shows stale data as live: a broken stream or store says since when", () => {
    renderWithApp(<PipelineView gitlabConnectionId="gl1" initial={detail("running", "running")} operator={false} />);
    const source = FakeEventSource.last!;
    source.emit("status", { state: "live", since: 1 });
    source.fail();
    expect(screen.getByRole("status").dataset.state).toBe("reconnecting");
    expect(screen.getByRole("status").textContent).toMatch(/^Reconnecting — data stale since/);
    expect(screen.getByTestId("pipeline-jobs").className).toContain("opacity-70");
    // The server's read failing is stale too, with the reason as the indicator's title.
    source.emit("status", { state: "live", since: 2 });
    source.emit("status", { state: "reconnecting", since: 3, error: "database unavailable (P1001)" });
    expect(screen.getByRole("status").getAttribute("title")).toBe("Last error: database unavailable (P1001)");
  });
});
