import Decimal from "decimal.js";
import { z } from "zod";
import { BUDGET_PERIODS } from "./budgets";
import { CHANNEL_FORMATS } from "./formats";

/** The amount of a budget: a positive decimal with at most 6 places, below a billion. */
const amount = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,6})?$/, "a positive amount such as 50 or 12.5")
  .refine((value) => new Decimal(value).greaterThan(0), "must be more than 0");

export const budgetInputSchema = z.object({
  connectionId: z.string().trim().min(1).max(128),
  // GitLab project paths: group/sub/app; empty for the whole connection.
  projectPath: z
    .string()
    .trim()
    .max(255)
    .regex(/^([\w.-]+(\/[\w.-]+)*)?$/, "a GitLab project path such as group/app, or empty"),
  period: z.enum(BUDGET_PERIODS),
  amount,
});
export type BudgetInput = z.infer<typeof budgetInputSchema>;

function httpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}

export const channelInputSchema = z
  .object({
    name: z.string().trim().min(1).max(63),
    format: z.enum(CHANNEL_FORMATS),
    url: z.string().trim().max(2048).refine(httpUrl, "an http(s) URL without user:password@"),
    // DingTalk's "加签" and Feishu's signature verification secret; optional, and only for them.
    secret: z.string().trim().max(256),
  })
  .refine((input) => input.secret === "" || input.format === "dingtalk" || input.format === "feishu", {
    path: ["secret"],
    message: "only DingTalk and Feishu/Lark sign their webhooks",
  });
export type ChannelInput = z.infer<typeof channelInputSchema>;

/** What alerts are evaluated, with their thresholds (AppSetting "alerts.rules"). */
export const alertRulesSchema = z.object({
  budgets: z.boolean(),
  stuckPods: z.boolean(),
  /** A stuck pod alerts once it has been billing for longer than this. */
  stuckMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  runnersDown: z.boolean(),
  /** A runner with no ready pod alerts after this long (a rollout or cold start takes a minute or two). */
  runnerDownMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
});
export type AlertRules = z.infer<typeof alertRulesSchema>;

export const DEFAULT_ALERT_RULES: AlertRules = {
  budgets: true,
  stuckPods: true,
  stuckMinutes: 15,
  runnersDown: true,
  runnerDownMinutes: 5,
};

/** The rules form: checkboxes ("on" or absent) and minute fields as text. */
export const alertRulesFormSchema = z
  .object({
    budgets: z.string().optional(),
    stuckPods: z.string().optional(),
    stuckMinutes: z
      .string()
      .trim()
      .regex(/^\d{1,4}$/),
    runnersDown: z.string().optional(),
    runnerDownMinutes: z
      .string()
      .trim()
      .regex(/^\d{1,4}$/),
  })
  .transform((form) => ({
    budgets: form.budgets === "on",
    stuckPods: form.stuckPods === "on",
    stuckMinutes: Number(form.stuckMinutes),
    runnersDown: form.runnersDown === "on",
    runnerDownMinutes: Number(form.runnerDownMinutes),
  }))
  .pipe(alertRulesSchema);

/** "https://oapi.dingtalk.com/…": scheme and host only, so the list tells channels apart without the secret part. */
export function urlHint(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}/…`;
}
