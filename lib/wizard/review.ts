import { parseMemoryQuantityGiB } from "@ask-ci/billing/eci/quantity";
import type { PriceBook } from "@/lib/cost/prices";
import {
  generateManifests,
  lintSettings,
  schemaErrors,
  toYaml,
  warnings,
  type KubeObject,
  type ManifestWarning,
} from "@/lib/manifests";
import type { RunnerSettings } from "@/lib/runner-settings/schema";
import { jobPodPrice, monthlyFixedCost, type JobPodPrice, type MonthlyCost } from "./pricing";
import { refOf } from "@/lib/apply/types";
import type { ObjectRef } from "@/lib/apply/types";

/** Everything the review step shows; Secret values are redacted, so it may go to the browser. */
export interface Review {
  objects: ObjectRef[];
  yaml: string;
  warnings: ManifestWarning[];
  /** Schema problems of generated objects (a generator bug): apply is refused while any exist. */
  invalid: string[];
  monthly: MonthlyCost;
  jobPod: JobPodPrice | undefined;
  currency: string;
}

function runnerPodTemplate(objects: KubeObject[]) {
  const deployment = objects.find((o) => o.kind === "Deployment") as
    { spec?: { template?: { metadata?: { annotations?: Record<string, string> }; spec?: object } } } | undefined;
  return { metadata: deployment?.spec?.template?.metadata, spec: deployment?.spec?.template?.spec };
}

export async function buildReview(settings: RunnerSettings, book: PriceBook): Promise<Review> {
  const objects = generateManifests(settings);
  const storageGiB = settings.storage.volumes.reduce((sum, v) => sum + parseMemoryQuantityGiB(v.size), 0);
  return {
    objects: objects.map(refOf),
    yaml: toYaml(objects, { redactSecrets: true }),
    warnings: [...lintSettings(settings), ...warnings(objects)],
    invalid: await schemaErrors(objects),
    monthly: monthlyFixedCost(runnerPodTemplate(objects), settings, book, storageGiB),
    jobPod: jobPodPrice(settings.jobPods, book),
    currency: book.currency,
  };
}
