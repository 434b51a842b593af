import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { runnerSettingsSchema } from "@/lib/runner-settings/schema";
import { buildReview } from "./review";

const settings = runnerSettingsSchema.parse({
  cluster: { namespace: "ci" },
  gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-review_test_token_01234567", runnerName: "r" },
  jobPods: { image: "alpine:latest" },
  storage: {
    volumes: [
      { name: "cache", mountPath: "/cache", size: "50Gi", backend: { kind: "storageClass", storageClassName: "nas" } },
    ],
  },
  registry: { server: "registry.example.com", username: "u", password: "review-registry-password" },
});

describe("buildReview", () => {
  it("lists every object, redacts secrets and warns about :latest", async () => {
    const review = await buildReview(settings, DEFAULT_PRICE_BOOKS.cn);
    expect(review.objects.map((o) => o.kind)).toEqual([
      "Namespace",
      "ServiceAccount",
      "Role",
      "RoleBinding",
      "Secret",
      "Secret",
      "ConfigMap",
      "PersistentVolumeClaim",
      "Deployment",
    ]);
    expect(review.yaml).not.toContain(Buffer.from("glrt-review_test_token_01234567").toString("base64"));
    expect(review.yaml).not.toContain("review-registry-password");
    expect(review.yaml).toContain("<redacted>");
    expect(review.warnings.map((w) => w.path)).toContain("jobPods.image");
    expect(review.invalid).toEqual([]);
    expect(review.monthly).toMatchObject({ runnerSpec: "0.25 vCPU / 0.5 GiB", storageGiB: 50, imageCacheGiB: 0 });
    expect(review.jobPod?.billed).toBe("1 vCPU / 2 GiB");
  });
});
