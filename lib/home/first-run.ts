import { hasRole, type Role } from "@/lib/auth/roles";

/** What the first-run checklist is decided from (counted by first-run.server.ts). */
export interface FirstRunFacts {
  /** Cluster connections in use. */
  connections: number;
  /** Runner profiles applied to a cluster at least once. */
  appliedProfiles: number;
  /** Job pods recorded in the job history (of connections in use). */
  recordedJobs: number;
}

export type FirstRunStep = "connect" | "runner" | "watch" | "costs";

export interface FirstRunItem {
  step: FirstRunStep;
  done: boolean;
  /** Where to do it. */
  href: string;
  /** False while the step it needs is not done yet. */
  ready: boolean;
  /** The role doing the step takes (connections are an admin's, runners an operator's). */
  role: Role;
}

/**
 * The home page's checklist, in the order a new user goes: connect a cluster, create a runner with
 * the wizard, watch its jobs, see what they cost. Job history counts whichever runner ran the jobs.
 */
export function firstRunChecklist(facts: FirstRunFacts): FirstRunItem[] {
  const connected = facts.connections > 0;
  const jobs = facts.recordedJobs > 0;
  return [
    { step: "connect", done: connected, href: connected ? "/clusters" : "/clusters/new", ready: true, role: "admin" },
    { step: "runner", done: facts.appliedProfiles > 0, href: "/setup/new", ready: connected, role: "operator" },
    { step: "watch", done: jobs, href: "/monitor", ready: connected, role: "viewer" },
    { step: "costs", done: jobs, href: "/cost/cluster", ready: jobs, role: "viewer" },
  ];
}

/** Whether `role` gets the step's button (a viewer is told who does it instead). */
export function mayDoStep(item: FirstRunItem, role: Role): boolean {
  return hasRole(role, item.role);
}

export function firstRunDone(items: readonly FirstRunItem[]): boolean {
  return items.every((item) => item.done);
}
