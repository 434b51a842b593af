import { z } from "zod";

/**
 * One contract per server action, keyed by its exported name: the shape of its arguments, which
 * the request guard checks in proxy.ts before Next.js decodes anything. Who may call an action is
 * the action's own first line (requireRole, with the audit entry for a refusal: lib/auth).
 *
 * The shapes are structural: types, sizes, which arguments exist. What an argument *means*
 * (a URL that must be https, a name already taken) stays with the action, which answers it with
 * the form's own field errors; a request that does not even have the shape gets a 400.
 * A new server action needs an entry here: tests/guard/every-action.test.ts fails until it has one,
 * and the guard refuses calls to an action it has no contract for.
 */
export interface ActionContract<Args extends z.ZodType<unknown[]> = z.ZodType<unknown[]>> {
  args: Args;
}

const id = z.string().min(1).max(128);
/** An object argument whose fields the action validates itself (its form's schema). */
const input = z.record(z.string(), z.unknown());
/** useActionState's previous state: the action's own last answer, sent back by the browser (any object). */
const formState = z.custom<object>((value) => value !== null && typeof value === "object" && !Array.isArray(value), {
  message: "Expected the form's previous state (an object)",
});
const formData = z.instanceof(FormData);

function contract<Args extends z.ZodType<unknown[]>>(args: Args): ActionContract<Args> {
  return { args };
}

export const ACTION_CONTRACTS = {
  // app/login/actions.ts
  login: contract(z.tuple([formState, formData])),
  logout: contract(z.tuple([])),
  // app/(dashboard)/clusters/actions.ts
  testConnectionAction: contract(z.tuple([input])),
  createConnectionAction: contract(z.tuple([input])),
  updateConnectionAction: contract(z.tuple([id, input])),
  // keepHistory: the delete dialog's "keep the job history" choice.
  deleteConnectionAction: contract(z.tuple([id, z.boolean().optional()])),
  connectionDeletionImpactAction: contract(z.tuple([id])),
  setDefaultConnectionAction: contract(z.tuple([id])),
  testStoredConnectionAction: contract(z.tuple([id, z.string().max(253).optional()])),
  // app/(dashboard)/clusters/pricing-actions.ts
  saveConnectionPricingAction: contract(z.tuple([formState, formData])),
  // app/(dashboard)/cost/budgets/actions.ts
  createBudgetAction: contract(z.tuple([formState, formData])),
  deleteBudgetAction: contract(z.tuple([formData])),
  saveAlertRulesAction: contract(z.tuple([formState, formData])),
  createChannelAction: contract(z.tuple([formState, formData])),
  setChannelEnabledAction: contract(z.tuple([formData])),
  deleteChannelAction: contract(z.tuple([formData])),
  sendTestAlertAction: contract(z.tuple([formState, formData])),
  // app/(dashboard)/gitlab/actions.ts
  testGitlabConnectionAction: contract(z.tuple([input])),
  createGitlabConnectionAction: contract(z.tuple([input])),
  updateGitlabConnectionAction: contract(z.tuple([id, input])),
  deleteGitlabConnectionAction: contract(z.tuple([id])),
  testStoredGitlabConnectionAction: contract(z.tuple([id])),
  // app/(dashboard)/settings/actions.ts
  savePriceBookAction: contract(z.tuple([formState, formData])),
  resetPriceBookAction: contract(z.tuple([formData])),
  saveEcsPriceAction: contract(z.tuple([formState, formData])),
  deleteEcsPriceAction: contract(z.tuple([formData])),
  // app/(dashboard)/settings/users/actions.ts
  setUserRoleAction: contract(z.tuple([formState, formData])),
  setUserActiveAction: contract(z.tuple([formData])),
  revokeUserSessionAction: contract(z.tuple([formData])),
  addRoleMappingAction: contract(z.tuple([formState, formData])),
  deleteRoleMappingAction: contract(z.tuple([formData])),
  // app/(dashboard)/settings/audit/actions.ts
  setAuditRetentionAction: contract(z.tuple([formState, formData])),
  // app/(dashboard)/settings/sessions/actions.ts
  revokeOwnSessionAction: contract(z.tuple([formData])),
  // app/(dashboard)/setup/actions.ts
  saveDraftAction: contract(z.tuple([input])),
  reviewAction: contract(z.tuple([id, z.enum(["cn", "intl"])])),
  deleteProfileAction: contract(z.tuple([id])),
  // app/(dashboard)/setup/gitlab-actions.ts
  createGitlabRunnerAction: contract(z.tuple([id, input])),
  gitlabRunnerStatusAction: contract(z.tuple([id])),
  rotateGitlabRunnerTokenAction: contract(z.tuple([id])),
  deleteGitlabRunnerAction: contract(z.tuple([id])),
  // app/(dashboard)/pipelines/actions.ts
  runPipelineAction: contract(z.tuple([input])),
  jobActionAction: contract(z.tuple([input])),
} satisfies Record<string, ActionContract>;

export type ActionName = keyof typeof ACTION_CONTRACTS;

export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(ACTION_CONTRACTS, name);
}

/** "1.name: Expected string, received number" for the 400's message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? `argument ${issue.path.join(".")}` : "arguments"}: ${issue.message}`)
    .join("; ");
}
