import type { KubeObject } from "../types";
import type { SeededRandom } from "@ask-ci/seeded-random";

/** Annotation a test or a demo user puts on a pod to make it fail in a chosen way. */
export const FAIL_ANNOTATION = "demo.ask-ci.dev/fail";

export const FAILURE_MODES = ["image-pull", "stuck-pending", "oom", "crash", "killed", "evicted"] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];
export type PodFate = "normal" | FailureMode;

// Failures that can strike a batch (job) pod at random; "crash" is left out because a failing
// script already shows up as an ordinary non-zero exit code.
const RANDOM_FAILURES: readonly FailureMode[] = ["image-pull", "stuck-pending", "oom", "killed", "evicted"];

export function isMissingImage(image: string): boolean {
  return image.includes("does-not-exist");
}

/**
 * What will go wrong with a pod: asked for by annotation, implied by an image that cannot be
 * pulled, or drawn at failureRate for pods that are meant to finish (restartPolicy Never/OnFailure),
 * so long-running workloads such as the runner itself are never broken at random.
 */
export function decideFate(pod: KubeObject, random: SeededRandom, failureRate: number): PodFate {
  const requested = pod.metadata.annotations?.[FAIL_ANNOTATION];
  if (requested && (FAILURE_MODES as readonly string[]).includes(requested)) return requested as FailureMode;
  const spec = pod.spec as { containers?: Array<{ image?: string }>; restartPolicy?: string } | undefined;
  if ((spec?.containers ?? []).some((c) => isMissingImage(c.image ?? ""))) return "image-pull";
  const batch = spec?.restartPolicy === "Never" || spec?.restartPolicy === "OnFailure";
  if (batch && failureRate > 0 && random.chance(failureRate)) return random.pick(RANDOM_FAILURES);
  return "normal";
}
