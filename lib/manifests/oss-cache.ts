import type { TomlTable } from "smol-toml";
import type { RunnerSettings } from "@/lib/runner-settings/schema";

type DistributedCache = NonNullable<RunnerSettings["distributedCache"]>;

/**
 * OSS's S3-compatible endpoint for a region: `s3.oss-<region>[-internal].aliyuncs.com`
 * (Alibaba Cloud, "Use AWS SDKs to access OSS"). The internal one is reachable only from a VPC
 * in the same region and carries no traffic fee; the public one pays outbound traffic.
 */
export function ossS3Endpoint(cache: Pick<DistributedCache, "region" | "endpoint" | "customEndpoint">): string {
  if (cache.endpoint === "custom" && cache.customEndpoint) return cache.customEndpoint;
  const internal = cache.endpoint === "internal" ? "-internal" : "";
  return `s3.oss-${cache.region}${internal}.aliyuncs.com`;
}

/**
 * `[runners.cache]` for config.template.toml, without credentials: `register` adds them from
 * CACHE_S3_ACCESS_KEY / CACHE_S3_SECRET_KEY (the Deployment reads them from the cache Secret), as
 * the official chart does. OSS accepts only virtual-hosted-style requests, so PathStyle is false
 * rather than left to the runner's guess from the address.
 */
export function cacheTable(settings: RunnerSettings): TomlTable | undefined {
  const cache = settings.distributedCache;
  if (!cache) return undefined;
  return {
    Type: "s3",
    ...(cache.path ? { Path: cache.path.replace(/\/$/, "") } : {}),
    Shared: cache.shared,
    s3: {
      ServerAddress: ossS3Endpoint(cache),
      BucketName: cache.bucket,
      BucketLocation: cache.region,
      AuthenticationType: "access-key",
      PathStyle: false,
    },
  };
}
