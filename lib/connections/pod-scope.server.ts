import "server-only";
import { kubeConfigForConnection } from "./kube-client.server";
import type { AccessAnswer } from "./permissions";
import { podWatchEverywhere } from "./probe.server";

const known = new Map<string, AccessAnswer>();

/**
 * Whether a connection's credentials may list and watch pods in every namespace (a
 * SelfSubjectAccessReview). While the cluster cannot be asked, its last definite answer: an outage
 * must not narrow the job recorder's watch or change the monitor's default view.
 */
export async function podWatchScope(connectionId: string): Promise<AccessAnswer> {
  let answer: AccessAnswer = "unknown";
  try {
    answer = await podWatchEverywhere(await kubeConfigForConnection(connectionId), 5_000);
  } catch {
    // Unreadable credentials: whatever then uses the connection reports it.
  }
  if (answer !== "unknown") known.set(connectionId, answer);
  return known.get(connectionId) ?? answer;
}
