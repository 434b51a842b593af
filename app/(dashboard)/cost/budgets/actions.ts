"use server";

import { revalidatePath } from "next/cache";
import { audited } from "@/lib/audit/record.server";
import { requireRole } from "@/lib/auth/authorize.server";
import { sendTestAlert } from "@/lib/alerts/evaluate.server";
import { alertRulesFormSchema, budgetInputSchema, channelInputSchema } from "@/lib/alerts/input";
import {
  createBudget,
  createChannel,
  deleteBudget,
  deleteChannel,
  saveAlertRules,
  setChannelEnabled,
} from "@/lib/alerts/store.server";

export interface AlertFormState {
  ok?: boolean;
  /** Field name → the field is wrong; the form shows the field's message from the catalog. */
  fieldErrors?: Record<string, true>;
  error?: "duplicate" | "noConnection" | "notFound";
  /** What was submitted (secrets excluded), shown again after an error. */
  values?: Record<string, string>;
  /** The "send test" answer: delivered or why not. */
  test?: { ok: boolean; detail: string | null };
}

function text(form: FormData, name: string, max = 4096): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim().slice(0, max) : "";
}

function fieldErrors(issues: ReadonlyArray<{ path: PropertyKey[] }>): Record<string, true> {
  return Object.fromEntries(issues.map((issue) => [String(issue.path[0] ?? "form"), true as const]));
}

function refresh(): void {
  revalidatePath("/cost/budgets");
}

/** A budget for a connection or one of its projects (operators and admins). */
export async function createBudgetAction(_previous: AlertFormState, form: FormData): Promise<AlertFormState> {
  const user = await requireRole("operator", { action: "budget.create" });
  const values = {
    connectionId: text(form, "connectionId", 128),
    projectPath: text(form, "projectPath", 300),
    period: text(form, "period", 10),
    amount: text(form, "amount", 30),
  };
  const parsed = budgetInputSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error.issues), values };
  const name = `${parsed.data.projectPath || "(all projects)"}, ${parsed.data.period}, ${parsed.data.amount}`;
  const result = await audited(
    { actor: user, action: "budget.create", target: { type: "budget", name } },
    () => createBudget(parsed.data),
    (done) =>
      done.ok
        ? { result: "ok", target: { type: "budget", id: done.id, name } }
        : { result: "error", message: done.error },
  );
  if (!result.ok) {
    const field = result.error === "duplicate" ? "period" : "connectionId";
    return { error: result.error, fieldErrors: { [field]: true }, values };
  }
  refresh();
  return { ok: true };
}

export async function deleteBudgetAction(form: FormData): Promise<void> {
  const user = await requireRole("operator", { action: "budget.delete" });
  const id = text(form, "id", 128);
  if (!id) return;
  await audited(
    { actor: user, action: "budget.delete", target: { type: "budget", id } },
    () => deleteBudget(id),
    (deleted) =>
      deleted
        ? {
            result: "ok",
            target: { type: "budget", id, name: `${deleted.connectionName} ${deleted.projectPath} ${deleted.period}` },
          }
        : { result: "error", message: "no such budget" },
  );
  refresh();
}

export async function saveAlertRulesAction(_previous: AlertFormState, form: FormData): Promise<AlertFormState> {
  const user = await requireRole("operator", { action: "alert-rules.save" });
  const values = {
    budgets: text(form, "budgets", 10),
    stuckPods: text(form, "stuckPods", 10),
    stuckMinutes: text(form, "stuckMinutes", 10),
    runnersDown: text(form, "runnersDown", 10),
    runnerDownMinutes: text(form, "runnerDownMinutes", 10),
  };
  const parsed = alertRulesFormSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error.issues), values };
  const rules = parsed.data;
  await audited(
    { actor: user, action: "alert-rules.save", target: { type: "settings", id: "alerts.rules" } },
    () => saveAlertRules(rules),
    () => ({
      result: "ok",
      message: `budgets ${rules.budgets}, stuck pods ${rules.stuckPods} (${rules.stuckMinutes} min), runners down ${rules.runnersDown} (${rules.runnerDownMinutes} min)`,
    }),
  );
  refresh();
  return { ok: true };
}

/** A webhook channel. Its URL and secret are secrets: admins only, like cluster credentials. */
export async function createChannelAction(_previous: AlertFormState, form: FormData): Promise<AlertFormState> {
  const user = await requireRole("admin", { action: "alert-channel.create" });
  const input = {
    name: text(form, "name", 100),
    format: text(form, "format", 20),
    url: text(form, "url", 4096),
    secret: text(form, "secret", 512),
  };
  // Never echo the URL or the secret back to the browser, even after an error.
  const values = { name: input.name, format: input.format };
  const parsed = channelInputSchema.safeParse(input);
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error.issues), values };
  const result = await audited(
    { actor: user, action: "alert-channel.create", target: { type: "alert-channel", name: parsed.data.name } },
    () => createChannel(parsed.data),
    (done) =>
      done.ok
        ? {
            result: "ok",
            target: { type: "alert-channel", id: done.id, name: parsed.data.name },
            message: parsed.data.format,
          }
        : { result: "error", message: done.error },
  );
  if (!result.ok) return { error: "duplicate", fieldErrors: { name: true }, values };
  refresh();
  return { ok: true };
}

export async function setChannelEnabledAction(form: FormData): Promise<void> {
  const user = await requireRole("admin", { action: "alert-channel.update" });
  const id = text(form, "id", 128);
  const enabled = text(form, "enabled", 10) === "true";
  if (!id) return;
  await audited(
    { actor: user, action: "alert-channel.update", target: { type: "alert-channel", id } },
    () => setChannelEnabled(id, enabled),
    (name) =>
      name
        ? { result: "ok", target: { type: "alert-channel", id, name }, message: enabled ? "enabled" : "disabled" }
        : { result: "error", message: "no such channel" },
  );
  refresh();
}

export async function deleteChannelAction(form: FormData): Promise<void> {
  const user = await requireRole("admin", { action: "alert-channel.delete" });
  const id = text(form, "id", 128);
  if (!id) return;
  await audited(
    { actor: user, action: "alert-channel.delete", target: { type: "alert-channel", id } },
    () => deleteChannel(id),
    (name) =>
      name
        ? { result: "ok", target: { type: "alert-channel", id, name } }
        : { result: "error", message: "no such channel" },
  );
  refresh();
}

/** The "send test" button: one message to one channel, now (operators may check a channel works). */
export async function sendTestAlertAction(_previous: AlertFormState, form: FormData): Promise<AlertFormState> {
  const user = await requireRole("operator", { action: "alert-channel.test" });
  const id = text(form, "id", 128);
  const result = await audited(
    { actor: user, action: "alert-channel.test", target: { type: "alert-channel", id } },
    () => (id ? sendTestAlert(id, user.username) : Promise.resolve(null)),
    (sent) =>
      sent === null
        ? { result: "error", message: "no such channel" }
        : { result: sent.ok ? "ok" : "error", message: sent.ok ? `HTTP ${sent.httpStatus}` : (sent.error ?? null) },
  );
  refresh();
  if (result === null) return { error: "notFound" };
  return { test: { ok: result.ok, detail: result.ok ? `HTTP ${result.httpStatus}` : (result.error ?? null) } };
}
