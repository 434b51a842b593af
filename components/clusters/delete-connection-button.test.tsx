// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithApp } from "@/tests/render";

// The server actions are the boundary to the server: here they answer as the real ones would.
const actions = vi.hoisted(() => ({
  connectionDeletionImpactAction: vi.fn(),
  deleteConnectionAction: vi.fn(),
}));
vi.mock("@/app/(dashboard)/clusters/actions", () => actions);
vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn(), refresh: vi.fn() }) }));

const { DeleteConnectionButton } = await import("./delete-connection-button");

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

async function openDialog(impact: { jobRecords: number; runnerProfiles: number; applyRecords: number }) {
  actions.connectionDeletionImpactAction.mockResolvedValue({ ok: true, value: impact });
  actions.deleteConnectionAction.mockResolvedValue({ ok: true, value: null });
  renderWithApp(<DeleteConnectionButton id="c1" name="prod" />);
  fireEvent.click(screen.getByRole("button", { name: "Delete" }));
  const dialog = await screen.findByRole("dialog");
  await within(dialog).findByTestId("delete-impact");
  return dialog;
}

describe("DeleteConnectionButton", () => {
  it("says what goes and what stays, offers to keep the history, and deletes as chosen", async () => {
    const dialog = await openDialog({ jobRecords: 3, runnerProfiles: 1, applyRecords: 2 });
    expect(dialog.textContent).toContain("the connection and its encrypted credentials");
    expect(dialog.textContent).toContain("1 runner profile and 2 apply records stay, without a cluster");
    const keep = within(dialog).getByRole("checkbox", { name: /Keep the job history \(3 jobs\)/ });
    expect((keep as HTMLInputElement).checked).toBe(true);
    expect(dialog.textContent).not.toContain("3 recorded jobs");

    fireEvent.click(keep);
    expect(dialog.textContent).toContain("3 recorded jobs: History, Cost today and the cost pages");
    fireEvent.click(within(dialog).getAllByRole("button", { name: "Delete" }).at(-1)!);
    await waitFor(() => expect(actions.deleteConnectionAction).toHaveBeenCalledWith("c1", false));
  });

  it("keeps the history unless told otherwise", async () => {
    const dialog = await openDialog({ jobRecords: 5, runnerProfiles: 0, applyRecords: 0 });
    fireEvent.click(within(dialog).getAllByRole("button", { name: "Delete" }).at(-1)!);
    await waitFor(() => expect(actions.deleteConnectionAction).toHaveBeenCalledWith("c1", true));
  });

  it("offers nothing to keep when nothing was recorded", async () => {
    const dialog = await openDialog({ jobRecords: 0, runnerProfiles: 0, applyRecords: 0 });
    expect(within(dialog).queryByRole("checkbox")).toBeNull();
    expect(dialog.textContent).not.toContain("stay, without a cluster");
    fireEvent.click(within(dialog).getAllByRole("button", { name: "Delete" }).at(-1)!);
    await waitFor(() => expect(actions.deleteConnectionAction).toHaveBeenCalledWith("c1", false));
  });
});
