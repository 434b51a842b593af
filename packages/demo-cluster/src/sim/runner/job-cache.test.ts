import { describe, expect, it } from "vitest";
import {
  CacheStorage,
  archiveCacheLines,
  archivesCache,
  objectPath,
  objectUrl,
  restoreCacheLines,
  restoredKeys,
  restoresCache,
  type CacheContext,
  type JobCache,
} from "./job-cache";
import type { RunnerEntry } from "./runner-config";

const OSS: RunnerEntry["cache"] = {
  Type: "s3",
  Path: "gitlab-runner",
  Shared: false,
  s3: {
    ServerAddress: "s3.oss-cn-hangzhou-internal.aliyuncs.com",
    BucketName: "acme-ci-cache",
    BucketLocation: "cn-hangzhou",
    AuthenticationType: "access-key",
    PathStyle: false,
    AccessKey: "LTAI5tDemoAccessKeyId",
    SecretKey: "demo-secret-key-never-shown",
  },
};
const MAVEN: JobCache = {
  key: "maven-protected",
  paths: [".m2/repository/"],
  untracked: false,
  policy: "pull-push",
  when: "on_success",
};
const OBJECT_URL =
  "https://acme-ci-cache.s3.oss-cn-hangzhou-internal.aliyuncs.com/gitlab-runner/runner/Demo7xK2p/project/42/maven-protected";

function context(runner: Partial<RunnerEntry>, storage = new CacheStorage(), now = Date.UTC(2026, 11, 6, 10)) {
  return {
    runner: { name: "r", ...runner },
    shortToken: "Demo7xK2p",
    projectId: 42,
    jobName: "unit-test",
    ref: "main",
    storage,
    now,
  } satisfies CacheContext;
}

describe("object names and URLs (cache/cache.go GetAdapter, S3 client addressing)", () => {
  it("puts runner/<short token> between Path and project/<id> unless Shared", () => {
    expect(objectPath(OSS!, "Demo7xK2p", 42, "maven-protected")).toBe(
      "gitlab-runner/runner/Demo7xK2p/project/42/maven-protected",
    );
    expect(objectPath({ ...OSS!, Shared: true }, "Demo7xK2p", 42, "maven-protected")).toBe(
      "gitlab-runner/project/42/maven-protected",
    );
    expect(objectPath({ Type: "s3" }, "Demo7xK2p", 42, "a/b")).toBe("runner/Demo7xK2p/project/42/a/b");
    // FF_HASH_CACHE_KEYS' sharding: the key's first two characters as a directory.
    expect(objectPath(OSS!, "Demo7xK2p", 42, "ab12", true)).toBe("gitlab-runner/runner/Demo7xK2p/project/42/ab/ab12");
  });

  it("refuses a key that climbs out of the project's prefix", () => {
    expect(objectPath(OSS!, "Demo7xK2p", 42, "../../7/secret")).toBeUndefined();
    expect(objectPath(OSS!, "Demo7xK2p", 42, "..")).toBeUndefined();
  });

  it("addresses OSS virtual-hosted style; path style when asked or for hosts that do not take it", () => {
    const path = "gitlab-runner/project/42/unit test 1/main";
    expect(objectUrl(OSS!.s3!, "acme-ci-cache", path)).toBe(
      "https://acme-ci-cache.s3.oss-cn-hangzhou-internal.aliyuncs.com/gitlab-runner/project/42/unit%20test%201/main",
    );
    expect(objectUrl({ ...OSS!.s3!, PathStyle: true }, "acme-ci-cache", "k")).toBe(
      "https://s3.oss-cn-hangzhou-internal.aliyuncs.com/acme-ci-cache/k",
    );
    // PathStyle unset: guessed from the host (minio-go s3utils.IsVirtualHostSupported).
    expect(objectUrl({ ServerAddress: "minio.example:9000", Insecure: true }, "cache", "k")).toBe(
      "http://minio.example:9000/cache/k",
    );
    expect(objectUrl({ ServerAddress: "s3.oss-cn-beijing.aliyuncs.com:443" }, "cache", "k")).toBe(
      "https://cache.s3.oss-cn-beijing.aliyuncs.com/k",
    );
  });
});

describe("restore_cache and archive_cache output", () => {
  it("first job: nothing in the bucket, so the download fails and the archive is uploaded; the next job downloads it", () => {
    const storage = new CacheStorage();
    const first = context({ cache: OSS }, storage);
    expect(restoredKeys([MAVEN], first).size).toBe(0);
    const restore = restoreCacheLines([MAVEN], first);
    expect(restore[0]).toBe("Checking cache for maven-protected...");
    expect(restore[1]).toBe("Using presigned URL for cache download");
    expect(restore[2]).toMatch(
      /^Selecting primary cache URL {23} {2}alternate_modified=0001-01-01 00:00:00 \+0000 UTC/,
    );
    expect(restore[2]).toContain(` primary_url=${OBJECT_URL}`);
    // The alternate (hashed) key is sharded: its first two hex characters as a directory.
    expect(restore[2]).toMatch(
      /alternate_url=https:\/\/acme-ci-cache\.[^ ]+\/project\/42\/([0-9a-f]{2})\/\1[0-9a-f]{62} /,
    );
    expect(restore.slice(3)).toEqual(["WARNING: file does not exist", "Failed to extract cache"]);

    const archive = archiveCacheLines([MAVEN], first, true, new Set());
    expect(archive[0]).toBe("Creating cache maven-protected...");
    expect(archive[1]).toMatch(/^\.m2\/repository\/: found \d+ matching artifact files and directories$/);
    expect(archive.slice(2)).toEqual([
      "Using presigned URL for cache upload",
      `Uploading cache.zip to ${OBJECT_URL}`,
      "Created cache",
    ]);

    const second = context({ cache: OSS }, storage, first.now + 60_000);
    const restored = restoredKeys([MAVEN], second);
    expect([...restored]).toEqual(["maven-protected"]);
    const again = restoreCacheLines([MAVEN], second);
    expect(again[2]).toContain("primary_modified=2026-12-06 10:00:00 +0000 UTC");
    expect(again[3]).toMatch(
      new RegExp(`^Downloading cache from ${OBJECT_URL.replace(/\./g, "\\.")} {2}ETag="[0-9a-f]{32}"$`),
    );
    expect(again[4]).toBe("Successfully extracted cache");
    expect(archiveCacheLines([MAVEN], second, true, restored).slice(2)).toEqual([
      "Primary cache already exists remotely, skipping upload",
      "Created cache",
    ]);
  });

  it("never writes the AccessKey secret, the AccessKey id or a signature into the log", () => {
    const storage = new CacheStorage();
    const ctx = context({ cache: OSS }, storage);
    const text = [
      ...restoreCacheLines([MAVEN], ctx),
      ...archiveCacheLines([MAVEN], ctx, true, new Set()),
      ...restoreCacheLines([MAVEN], ctx),
    ].join("\n");
    expect(text).not.toContain("demo-secret-key-never-shown");
    expect(text).not.toContain("LTAI5tDemoAccessKeyId");
    expect(text).not.toMatch(/X-Amz-|Signature|\?/);
  });

  it("without a distributed cache: no URL, and cache.zip survives only on a PVC at cache_dir", () => {
    const storage = new CacheStorage();
    const noCache = context({}, storage);
    expect(restoreCacheLines([MAVEN], noCache)).toEqual([
      "Checking cache for maven-protected...",
      "No URL provided, cache will not be downloaded from shared cache server. Instead a local version of cache will be extracted.",
      "WARNING: Cache file does not exist",
      "Failed to extract cache",
    ]);
    expect(archiveCacheLines([MAVEN], noCache, true, new Set()).slice(2)).toEqual([
      "No URL provided, cache will not be uploaded to shared cache server. Cache will be stored only locally.",
      "Created cache",
    ]);
    // The pod's own /cache went with the pod.
    expect(restoreCacheLines([MAVEN], noCache).at(-1)).toBe("Failed to extract cache");

    const nas = context(
      {
        cache_dir: "/cache",
        kubernetes: { volumes: { pvc: [{ name: "gitlab-runner-cache-pvc", mount_path: "/cache" }] } },
      },
      storage,
    );
    archiveCacheLines([MAVEN], nas, true, new Set());
    expect(restoreCacheLines([MAVEN], nas).slice(2)).toEqual(["Successfully extracted cache"]);
  });

  it("follows policy and when, and skips the stages when no entry has paths", () => {
    const ctx = context({ cache: OSS });
    const pull = { ...MAVEN, policy: "pull" };
    const push = { ...MAVEN, policy: "push" };
    expect(restoreCacheLines([push], ctx)).toEqual(["Not downloading cache maven-protected due to policy"]);
    expect(archiveCacheLines([pull], ctx, true, new Set())).toEqual([
      "Not uploading cache maven-protected due to policy",
    ]);
    expect(archivesCache([MAVEN], false)).toBe(false);
    expect(archivesCache([{ ...MAVEN, when: "on_failure" }], false)).toBe(true);
    expect(archivesCache([{ ...MAVEN, when: "always" }], true)).toBe(true);
    expect(restoresCache([{ ...MAVEN, paths: [] }])).toBe(false);
    expect(restoresCache([])).toBe(false);
    // No key: "<job name>/<ref>".
    expect(restoreCacheLines([{ ...MAVEN, key: "" }], ctx)[0]).toBe("Checking cache for unit-test/main...");
  });
});
