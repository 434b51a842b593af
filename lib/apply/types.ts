import type { KubeObject } from "@/lib/manifests";

/** Which object, as shown in the progress list and stored in ApplyRecord.objects. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * created / configured / unchanged: what the API server did (or, in a dry run, would do).
 * skipped: not attempted because an earlier object failed. deleted / absent: uninstall.
 * kept: exists but ask-ci did not create it (or it holds what others created), so ask-ci leaves it alone.
 */
export type Outcome = "created" | "configured" | "unchanged" | "failed" | "skipped" | "deleted" | "absent" | "kept";

export interface ObjectResult {
  ref: ObjectRef;
  outcome: Outcome;
  /** The API server's message for a failure. */
  message?: string;
  /** Unified diff live → applied (dry run only; Secret values redacted). */
  diff?: string;
}

export interface RunnerPodStatus {
  name: string;
  phase: string;
  ready: boolean;
  /** Waiting reason such as ImagePullBackOff, so a stuck pod is visible. */
  reason?: string;
}

export interface RolloutStatus {
  available: boolean;
  /** One line for the page: "1/1 available", "waiting for gitlab-runner-… (ContainerCreating)". */
  message: string;
  pods: RunnerPodStatus[];
  /** The Deployment does not exist (not installed, or uninstalled). */
  missing?: boolean;
}

export type ApplyMode = "dry-run" | "apply" | "uninstall";

/** What the engine reports while it works; the SSE route forwards each one to the page. */
export type ApplyEvent =
  | { type: "plan"; mode: ApplyMode; objects: ObjectRef[] }
  | { type: "object"; index: number; result: ObjectResult }
  | { type: "rollout"; status: RolloutStatus }
  | {
      type: "done";
      ok: boolean;
      results: ObjectResult[];
      rollout?: RolloutStatus;
      recordId?: string;
      message?: string;
    };

export type ApplyListener = (event: ApplyEvent) => void;

export function refOf(
  object: KubeObject | { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } },
): ObjectRef {
  const ref: ObjectRef = {
    apiVersion: object.apiVersion ?? "",
    kind: object.kind ?? "",
    name: object.metadata?.name ?? "",
  };
  if (object.metadata?.namespace) ref.namespace = object.metadata.namespace;
  return ref;
}

/** "Deployment gitlab-ci/gitlab-runner", "Namespace gitlab-ci". */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}
