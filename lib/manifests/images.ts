import type { RunnerSettings } from "@/lib/runner-settings/schema";
import { helperImageFor, runnerImageFor } from "./runner-release";

/** Tag of an image reference, or undefined when it has none (which means :latest). */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split("@")[0];
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  return colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
}

/** True for `:latest`, a `-latest` variant such as `x86_64-latest`, or no tag and no digest. */
export function isFloatingImage(image: string): boolean {
  if (image.includes("@sha256:")) return false;
  const tag = imageTag(image);
  return tag === undefined || tag === "latest" || tag.endsWith("-latest");
}

/** The runner manager's image: the chosen release, flavour and registry. */
export function runnerImage(settings: Pick<RunnerSettings, "runnerPod" | "images">): string {
  return runnerImageFor(settings.runnerPod.version, settings.runnerPod.flavour, settings.images);
}

/** The helper image of the same release, from the same registry (GitLab supports only that pairing). */
export function helperImage(settings: Pick<RunnerSettings, "runnerPod" | "images">): string {
  return helperImageFor(settings.runnerPod.version, settings.images);
}
