import type { RunnerSettings } from "@/lib/runner-settings/schema";
import { metadata } from "./labels";
import { objectNames } from "./names";
import type { KubeObject } from "./types";

export interface ImageCache extends KubeObject {
  apiVersion: "eci.alibabacloud.com/v1";
  kind: "ImageCache";
  spec: { images: string[]; imagePullSecrets?: string[]; imageCacheSize?: number; retentionDays?: number };
}

/**
 * Schema of the ImageCache custom resource: the CRD's openAPIV3Schema (seed imagecache-crd.yaml)
 * plus the ranges Alibaba documents for the fields the old CRD leaves open
 * (help.aliyun.com/zh/eci/user-guide/kubernetes-imagecache-api).
 */
export const IMAGE_CACHE_JSON_SCHEMA = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "eci.alibabacloud.com/v1" },
    kind: { const: "ImageCache" },
    metadata: {
      type: "object",
      required: ["name"],
      // Cluster-scoped: a namespace here would be rejected or silently dropped.
      not: { required: ["namespace"] },
      properties: { name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", maxLength: 253 } },
    },
    spec: {
      type: "object",
      required: ["images"],
      additionalProperties: false,
      properties: {
        images: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
        imagePullSecrets: { type: "array", items: { type: "string", pattern: "^[a-z0-9-]+:[a-z0-9.-]+$" } },
        imageCacheSize: { type: "integer", minimum: 20, maximum: 32768 },
        retentionDays: { type: "integer", minimum: 1, maximum: 65536 },
      },
    },
  },
} as const;

export function imageCacheObject(settings: RunnerSettings): ImageCache | undefined {
  const cache = settings.imageCache;
  if (!cache) return undefined;
  return {
    apiVersion: "eci.alibabacloud.com/v1",
    kind: "ImageCache",
    metadata: metadata(settings, objectNames(settings).imageCache, "cluster"),
    spec: {
      images: [...cache.images],
      // Private images need the pull secret; the seed's cache only held public ones.
      ...(settings.registry
        ? { imagePullSecrets: [`${settings.cluster.namespace}:${settings.registry.secretName}`] }
        : {}),
      imageCacheSize: cache.sizeGiB,
      ...(cache.retentionDays ? { retentionDays: cache.retentionDays } : {}),
    },
  };
}
