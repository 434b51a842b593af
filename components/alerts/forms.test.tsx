// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithApp } from "@/tests/render";
import type { AlertFormState } from "@/app/(dashboard)/cost/budgets/actions";
import { BudgetForm } from "./budget-form";
import { ChannelForm } from "./channel-form";

// The server actions answer as the real ones do after validation (app/(dashboard)/cost/budgets/actions.ts).
const answers = vi.hoisted(() => ({ budget: {} as AlertFormState, channel: {} as AlertFormState }));
const submitted = vi.hoisted(() => ({ budget: [] as FormData[], channel: [] as FormData[] }));
vi.mock("@/app/(dashboard)/cost/budgets/actions", () => ({
  createBudgetAction: async (_: AlertFormState, form: FormData) => {
    submitted.budget.push(form);
    return answers.budget;
  },
  createChannelAction: async (_: AlertFormState, form: FormData) => {
    submitted.channel.push(form);
    return answers.channel;
  },
}));

afterEach(() => {
  cleanup();
  submitted.budget.length = 0;
  submitted.channel.length = 0;
});

const describedBy = (element: HTMLElement) =>
  (element.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent);

describe("BudgetForm", () => {
  it("names each control by its label alone, with the hint as its description, and posts the fields by name", async () => {
    answers.budget = { ok: true };
    renderWithApp(<BudgetForm connections={[{ id: "c1", name: "demo", currency: "CNY" }]} />);
    const amount = screen.getByLabelText("Amount");
    expect(describedBy(amount)).toEqual(["In the currency of the connection's price book."]);
    expect(amount.getAttribute("aria-invalid")).toBeNull();
    fireEvent.change(amount, { target: { value: "12.5" } });
    fireEvent.change(screen.getByLabelText("Period"), { target: { value: "month" } });
    fireEvent.click(screen.getByRole("button", { name: "Add budget" }));
    await waitFor(() => expect(submitted.budget).toHaveLength(1));
    expect(Object.fromEntries(submitted.budget[0])).toEqual({
      connectionId: "c1",
      projectPath: "",
      period: "month",
      amount: "12.5",
    });
    expect((await screen.findByRole("status")).textContent).toContain("Budget added.");
  });

  it("marks the fields the server refused, with their messages, and keeps what was typed", async () => {
    answers.budget = { fieldErrors: { period: true }, error: "duplicate", values: { amount: "7", period: "day" } };
    renderWithApp(<BudgetForm connections={[{ id: "c1", name: "demo", currency: "CNY" }]} />);
    fireEvent.click(screen.getByRole("button", { name: "Add budget" }));
    const period = screen.getByLabelText("Period");
    await waitFor(() => expect(period.getAttribute("aria-invalid")).toBe("true"));
    expect(describedBy(period)).toEqual(["This connection (and project) already has a budget for that period."]);
    expect(screen.getByRole("alert").textContent).toContain("already has a budget");
    expect((screen.getByLabelText("Amount") as HTMLInputElement).value).toBe("7");
    expect(screen.getByLabelText("Amount").getAttribute("aria-invalid")).toBeNull();
  });
});

describe("ChannelForm", () => {
  it("a refused URL is marked on the URL field only; the URL typed is never shown again", async () => {
    answers.channel = { fieldErrors: { url: true }, values: { name: "hook", format: "json" } };
    renderWithApp(<ChannelForm />);
    fireEvent.change(screen.getByLabelText("Webhook URL"), { target: { value: "http://example.com/s3cret" } });
    fireEvent.click(screen.getByRole("button", { name: "Add channel" }));
    const url = screen.getByLabelText("Webhook URL");
    await waitFor(() => expect(url.getAttribute("aria-invalid")).toBe("true"));
    expect(submitted.channel[0].get("url")).toBe("http://example.com/s3cret");
    expect(describedBy(url)).toHaveLength(2);
    expect((screen.getByLabelText("Name", { exact: true }) as HTMLInputElement).value).toBe("hook");
    expect(screen.getByLabelText("Name", { exact: true }).getAttribute("aria-invalid")).toBeNull();
    expect(document.body.innerHTML).not.toContain("s3cret");
  });
});
