import { helperImage, runnerImage } from "@/lib/manifests/images";
import { defaultJobImageFor } from "@/lib/manifests/runner-release";
import { imagesSchema, runnerPodSchema } from "@/lib/runner-settings/schema";
import type { SettingsDraft } from "./secrets";

export interface DraftImages {
  runner: string;
  helper: string;
  /** The job image the draft names, else the default for its registry. */
  job: string;
}

/**
 * The images a draft will deploy, for the wizard's read-only helper field and the image cache's
 * suggestions: the draft's version, flavour and registry, with defaults for what is not filled in
 * (or not valid yet).
 */
export function draftImages(draft: SettingsDraft): DraftImages {
  const runnerPod = runnerPodSchema.safeParse(draft.runnerPod ?? {});
  const images = imagesSchema.safeParse(draft.images ?? {});
  const settings = {
    runnerPod: runnerPod.success ? runnerPod.data : runnerPodSchema.parse({}),
    images: images.success ? images.data : imagesSchema.parse({}),
  };
  return {
    runner: runnerImage(settings),
    helper: helperImage(settings),
    job: draft.jobPods?.image || defaultJobImageFor(settings.images),
  };
}
