// @vitest-environment happy-dom
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunnerActivity } from "@/lib/monitor/runner-events";
import { renderWithApp } from "@/tests/render";
import { RunnerPanel } from "./runner-panel";

// The runner panel against a stubbed server: the runner route for pods and events, the pod log
// route for the manager's log (the same viewer as a job pod's).

const ACTIVITY: RunnerActivity = {
  pods: [
    { name: "ask-ci-demo-7d9f-abcde", phase: "Running", containers: [{ name: "gitlab-runner", hasPrevious: true }] },
    { name: "ask-ci-demo-6c8e-fghij", phase: "Running", containers: [{ name: "gitlab-runner", hasPrevious: false }] },
  ],
  events: [
    {
      uid: "1",
      object: "Deployment/ask-ci-demo",
      type: "Normal",
      reason: "ScalingReplicaSet",
      message: "Scaled up replica set ask-ci-demo-7d9f to 1",
      count: 1,
      source: "deployment-controller",
      lastSeen: "2026-12-06T10:00:00Z",
    },
    {
      uid: "2",
      object: "Pod/ask-ci-demo-7d9f-abcde",
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting failed container",
      count: 4,
      source: "kubelet",
      lastSeen: "2026-12-06T10:01:00Z",
    },
  ],
};

let requests: string[];

beforeEach(() => {
  requests = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string) => {
      requests.push(input);
      if (input.startsWith("/api/monitor/runners/gitlab-runner/ask-ci-demo?")) return Response.json(ACTIVITY);
      if (input.startsWith("/api/monitor/pods/gitlab-runner/")) return new Response("Configuration loaded\n");
      return Response.json({ error: "unexpected request" }, { status: 500 });
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("RunnerPanel", () => {
  it("lists the Deployment's, ReplicaSets' and pods' events with their object, warnings marked", async () => {
    renderWithApp(<RunnerPanel cluster="prod" namespace="gitlab-runner" name="ask-ci-demo" onClose={() => {}} />);
    const items = within(await screen.findByTestId("runner-events")).getAllByRole("listitem");
    expect(items.map((li) => li.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "Deployment/ask-ci-demo ScalingReplicaSet Scaled up replica set ask-ci-demo-7d9f to 1",
      "Pod/ask-ci-demo-7d9f-abcde BackOff Back-off restarting failed container ×4",
    ]);
    expect(items[1].className).toContain("amber");
    expect(requests[0]).toBe("/api/monitor/runners/gitlab-runner/ask-ci-demo?cluster=prod");
  });

  it("reads the chosen manager pod's log through the pod log route, with the log viewer's options", async () => {
    const user = userEvent.setup();
    renderWithApp(<RunnerPanel cluster="prod" namespace="gitlab-runner" name="ask-ci-demo" onClose={() => {}} />);
    await screen.findByTestId("runner-events");
    await user.selectOptions(screen.getByLabelText("Pod"), "ask-ci-demo-6c8e-fghij");
    await user.click(screen.getByLabelText("Timestamps"));
    await user.click(screen.getByRole("button", { name: "Show logs" }));
    expect(await screen.findByText("Configuration loaded")).toBeTruthy();
    const url = new URL(requests.at(-1)!, "http://x");
    expect(url.pathname).toBe("/api/monitor/pods/gitlab-runner/ask-ci-demo-6c8e-fghij/logs");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      cluster: "prod",
      container: "gitlab-runner",
      timestamps: "true",
    });
    expect(screen.getByRole("link", { name: "Download" }).getAttribute("href")).toContain("download=true");
  });

  it("says why when the runner cannot be read", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Response.json({ error: 'deployments.apps "ask-ci-demo" not found' }, { status: 404 })),
    );
    renderWithApp(<RunnerPanel cluster="prod" namespace="gitlab-runner" name="ask-ci-demo" onClose={() => {}} />);
    expect(await screen.findByText(/Could not read the runner: deployments.apps "ask-ci-demo" not found/)).toBeTruthy();
  });
});
