// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactElement } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RoleProvider } from "@/components/auth/role-context";
import type { Role } from "@/lib/auth/roles";
import { defaultPriceBook } from "@/lib/cost/prices";
import { toPodDetail, type EventDto } from "@/lib/monitor/pod-detail";
import { toPodSummary } from "@/lib/monitor/pod-summary";
import { jobPod } from "@/lib/monitor/testing/pods";
import { renderWithApp } from "@/tests/render";
import { PodDetailPanel } from "./pod-detail-panel";

// The pod panel against a stubbed server: what it asks for (URLs, methods), and what it shows of
// the answers. The routes themselves are tested in tests/api-auth.test.ts and the monitor tests.

const POD = jobPod("uid-1", "7", "Running", { started: "2026-01-01T00:01:00Z" });
const POD_NAME = POD.metadata!.name!;
const summary = toPodSummary(POD, defaultPriceBook("cn"));
const PATH = `/api/monitor/pods/gitlab-runner/${POD_NAME}`;

/** An EventSource the test drives: the panel's live event list listens to it. */
class FakeEventSource {
  static last: FakeEventSource | undefined;
  listeners = new Map<string, (event: MessageEvent<string>) => void>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, listener);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown) {
    act(() => this.listeners.get(type)?.({ data: JSON.stringify(data) } as MessageEvent<string>));
  }
}

let requests: Array<{ url: string; method: string }>;
let answers: Map<string, () => Response>;

beforeEach(() => {
  requests = [];
  answers = new Map([
    [`GET ${PATH}`, () => Response.json(toPodDetail(POD))],
    [`DELETE ${PATH}`, () => Response.json({ deleted: true })],
    [`GET ${PATH}/logs`, () => new Response("line one\nline two\n")],
  ]);
  vi.stubGlobal("EventSource", FakeEventSource);
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init?: RequestInit) => {
      const method = init?.method ?? "GET";
      requests.push({ url: input, method });
      const answer = answers.get(`${method} ${input.split("?")[0]}`);
      return answer ? answer() : Response.json({ error: "unexpected request" }, { status: 500 });
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  FakeEventSource.last = undefined;
});

function panel(role: Role, pod = summary): { onClose: () => void } {
  const onClose = vi.fn();
  const ui: ReactElement = (
    <RoleProvider role={role}>
      <PodDetailPanel cluster="prod" pod={pod} onClose={onClose} />
    </RoleProvider>
  );
  renderWithApp(ui);
  return { onClose };
}

describe("PodDetailPanel", () => {
  it("loads the pod from the cluster it belongs to and shows its containers without env values", async () => {
    panel("viewer");
    const containers = await screen.findAllByTestId("container");
    expect(containers.map((c) => within(c).getByText(/^(build|helper)$/).textContent)).toEqual(["build", "helper"]);
    expect(requests[0]).toEqual({ url: `${PATH}?cluster=prod`, method: "GET" });
    expect(document.body.textContent).toContain("CI_JOB_TOKEN");
    expect(document.body.textContent).not.toContain("secret-token");
  });

  it("shows the pod's events as they stream in, warnings included", async () => {
    panel("viewer");
    await screen.findAllByTestId("container");
    const source = FakeEventSource.last!;
    expect(source.url).toBe(`${PATH}/events?cluster=prod`);
    const event = (uid: string, type: string, reason: string, count = 1): EventDto => ({
      uid,
      type,
      reason,
      message: `${reason} happened`,
      count,
      source: "kubelet",
      lastSeen: null,
    });
    source.emit("events", { events: [] });
    expect(screen.getByText("No events.")).toBeTruthy();
    source.emit("events", { events: [event("e1", "Normal", "Scheduled"), event("e2", "Warning", "BackOff", 3)] });
    const items = within(screen.getByTestId("pod-events")).getAllByRole("listitem");
    expect(items.map((li) => li.textContent?.trim())).toEqual([
      "Scheduled Scheduled happened",
      "BackOff BackOff happened ×3",
    ]);
    expect(items[1].className).toContain("amber");
  });

  it("shows the build container's last lines on request", async () => {
    const user = userEvent.setup();
    panel("viewer");
    await screen.findAllByTestId("container");
    expect(screen.queryByTestId("pod-logs")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Show logs" }));
    await waitFor(() => expect(screen.getByTestId("pod-logs").textContent).toBe("line one\nline two\n"));
    const logRequest = requests.find((r) => r.url.startsWith(`${PATH}/logs`))!;
    expect(Object.fromEntries(new URL(logRequest.url, "http://x").searchParams)).toEqual({
      cluster: "prod",
      container: "build",
      tailLines: "500",
    });
  });

  it("asks for timestamps and the last minutes, searches the loaded log and wraps it", async () => {
    const user = userEvent.setup();
    panel("viewer");
    await screen.findAllByTestId("container");
    await user.click(screen.getByLabelText("Timestamps"));
    await user.type(screen.getByLabelText("Last minutes"), "15");
    await user.click(screen.getByRole("button", { name: "Show logs" }));
    await waitFor(() => expect(screen.getByTestId("pod-logs").textContent).toBe("line one\nline two\n"));
    const logRequest = requests.filter((r) => r.url.startsWith(`${PATH}/logs`)).at(-1)!;
    expect(Object.fromEntries(new URL(logRequest.url, "http://x").searchParams)).toMatchObject({
      timestamps: "true",
      sinceSeconds: "900",
    });
    await user.type(screen.getByLabelText("Search the log"), "TWO");
    expect(screen.getByTestId("pod-logs").textContent).toBe("line two");
    expect(screen.getByText("Matching lines: 1")).toBeTruthy();
    expect(screen.getByTestId("pod-logs").className).not.toContain("whitespace-pre-wrap");
    await user.click(screen.getByLabelText("Wrap lines"));
    expect(screen.getByTestId("pod-logs").className).toContain("whitespace-pre-wrap");
  });

  it("offers a terminal section to an operator and none to a viewer", async () => {
    panel("operator");
    await screen.findAllByTestId("container");
    expect(await screen.findByRole("region", { name: "Terminal" })).toBeTruthy();
    cleanup();
    panel("viewer");
    await screen.findAllByTestId("container");
    expect(screen.queryByRole("region", { name: "Terminal" })).toBeNull();
  });

  it("deletes the pod only after the operator confirms, and says the deletion was requested", async () => {
    const user = userEvent.setup();
    panel("operator");
    await user.click(await screen.findByRole("button", { name: "Delete pod" }));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog.textContent).toContain(`Delete pod ${POD_NAME}?`);
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(requests.filter((r) => r.method === "DELETE")).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Delete pod" }));
    await user.click(screen.getByRole("button", { name: "Yes, delete" }));
    expect((await screen.findByRole("status")).textContent).toBe("Deletion requested.");
    expect(requests.filter((r) => r.method === "DELETE")).toEqual([{ url: `${PATH}?cluster=prod`, method: "DELETE" }]);
  });

  it("shows the server's refusal of a deletion instead of claiming success", async () => {
    answers.set(`DELETE ${PATH}`, () =>
      Response.json({ error: "The cluster refused: pods is forbidden" }, { status: 403 }),
    );
    const user = userEvent.setup();
    panel("admin");
    await user.click(await screen.findByRole("button", { name: "Delete pod" }));
    await user.click(screen.getByRole("button", { name: "Yes, delete" }));
    expect((await screen.findByRole("status")).textContent).toBe("The cluster refused: pods is forbidden");
  });

  it("offers no deletion to a viewer", async () => {
    panel("viewer");
    await screen.findAllByTestId("container");
    expect(screen.queryByRole("button", { name: "Delete pod" })).toBeNull();
  });

  it("for a pod that is gone: says so, asks the cluster nothing and offers nothing to delete", () => {
    panel("admin", { ...summary, phase: "Vanished" });
    expect(screen.getByText("This pod no longer exists.")).toBeTruthy();
    expect(requests).toEqual([]);
    expect(FakeEventSource.last).toBeUndefined();
    expect(screen.queryByRole("button", { name: "Delete pod" })).toBeNull();
  });

  it("keeps the loaded log when the pod's last update is refetched after the pod is gone (404)", async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    const ui = (pod: typeof summary) => (
      <RoleProvider role="viewer">
        <PodDetailPanel cluster="prod" pod={pod} onClose={onClose} />
      </RoleProvider>
    );
    const { rerender } = renderWithApp(ui(summary));
    await screen.findAllByTestId("container");
    await user.click(screen.getByRole("button", { name: "Show logs" }));
    await waitFor(() => expect(screen.getByTestId("pod-logs").textContent).toBe("line one\nline two\n"));

    // The runner deletes the pod: the watch brings its terminating update, the refetch finds nothing.
    answers.set(`GET ${PATH}`, () => Response.json({ error: "pods not found" }, { status: 404 }));
    rerender(ui({ ...summary, resourceVersion: `${summary.resourceVersion}9` }));
    expect(await screen.findByText("This pod no longer exists.")).toBeTruthy();
    expect(screen.getByTestId("pod-logs").textContent).toBe("line one\nline two\n");
    expect(screen.getAllByTestId("container")).toHaveLength(2);
  });

  it("says the pod is gone when the cluster answers 404", async () => {
    answers.set(`GET ${PATH}`, () => Response.json({ error: "pods not found" }, { status: 404 }));
    panel("viewer");
    expect(await screen.findByText("This pod no longer exists.")).toBeTruthy();
  });
});
