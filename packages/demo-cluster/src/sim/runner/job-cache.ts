import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { RunnerEntry } from "./runner-config";

/**
 * GitLab Runner's job cache as the Kubernetes executor runs it (gitlab-runner v19.3.0, the
 * feature flags at their defaults): the lines the restore_cache and archive_cache stages write
 * and where the archive lives. Sources, with line numbers at that tag, in docs/oss-cache.md
 * ("What the demo's runner does with it").
 *
 * The job log never shows a presigned URL's query: the cache helper logs every URL through
 * url_helpers.CleanURL (helpers/url/clean_url.go), which drops the query (signature, credential
 * and all). So neither does this: no signature is computed, and the secret key is never read.
 */

/** One `cache:` entry of the job payload (spec.Cache). */
export interface JobCache {
  key: string;
  paths: string[];
  untracked: boolean;
  /** pull-push (default), pull or push. */
  policy: string;
  /** on_success (default), on_failure or always. */
  when: string;
}

/** Where an archive is kept: an object of a bucket, or a cache.zip on a volume that outlives the pod. */
interface StoredArchive {
  etag: string;
  modified: number;
}

/**
 * The archives the simulated runners uploaded: bucket objects by URL, and cache.zip files on
 * persistent volumes by claim and path. Shared by every runner in the cluster, as a bucket is.
 */
export class CacheStorage {
  private readonly archives = new Map<string, StoredArchive>();

  get(location: string): StoredArchive | undefined {
    return this.archives.get(location);
  }

  put(location: string, now: number): void {
    const etag = createHash("md5").update(`${location}@${now}`).digest("hex");
    this.archives.set(location, { etag, modified: now });
  }
}

/** What a stage needs to know about the job and the runner that runs it. */
export interface CacheContext {
  runner: RunnerEntry;
  shortToken: string;
  projectId: number;
  jobName: string;
  ref: string;
  storage: CacheStorage;
  now: number;
}

const DEFAULT_CACHE_DIR = "/cache"; // executors/kubernetes/kubernetes.go DefaultCacheDir

/** Go's time.Time %v of the zero time, which logrus prints for a HEAD that failed. */
const ZERO_TIME = "0001-01-01 00:00:00 +0000 UTC";

/** A helper's logrus line (log/runner_formatter.go): the message padded to 50 columns less the level's prefix, then ` key=value` sorted. */
function helperLog(message: string, fields: Record<string, string> = {}, level: "info" | "warning" = "info"): string {
  const prefix = level === "warning" ? "WARNING: " : "";
  const keys = Object.keys(fields).sort();
  const text = `${prefix}${message.padEnd(50 - prefix.length)} ${keys.map((k) => ` ${k}=${fields[k]}`).join("")}`;
  return keys.length ? text : text.trimEnd();
}

/** Go's time.Time %v in UTC. */
function goTime(ms: number): string {
  return `${new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "")} +0000 UTC`;
}

/** newCacheConfig (shells/abstract.go): the job's key, else "<job name>/<ref>". */
function humanKey(entry: JobCache, ctx: CacheContext): string {
  return entry.key || posix.join("/", ctx.jobName, ctx.ref).slice(1);
}

/** The cache key hashed as cacheAlternateKey does with FF_HASH_CACHE_KEYS off (the alternate URL's key). */
function alternateKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** The S3 adapter the runner would build (cache.GetAdapter), or why it builds none. */
type Adapter = { kind: "s3"; url: (key: string, sharded: boolean) => string | undefined } | { kind: "none" };

function adapterFor(ctx: CacheContext): Adapter {
  const cache = ctx.runner.cache;
  // Type "s3" is the s3v2 adapter unless FF_USE_LEGACY_S3_CACHE_ADAPTER (common/build.go); both presign the same URLs.
  if (!cache || cache.Type !== "s3" || !cache.s3?.BucketName) return { kind: "none" };
  const s3 = cache.s3;
  const bucket = s3.BucketName!;
  return {
    kind: "s3",
    url: (key, sharded) => {
      const path = objectPath(cache, ctx.shortToken, ctx.projectId, key, sharded);
      return path === undefined ? undefined : objectUrl(s3, bucket, path);
    },
  };
}

/**
 * cache.GetAdapter's object name (cache/cache.go): Path, then runner/<short token> unless Shared,
 * then project/<id>/<key> (with the key's first two characters in between when sharded). A key
 * that climbs out of the project's prefix gets no adapter.
 */
export function objectPath(
  cache: NonNullable<RunnerEntry["cache"]>,
  shortToken: string,
  projectId: number,
  key: string,
  sharded = false,
): string | undefined {
  const namespace = cache.Shared ? "" : posix.join("runner", shortToken);
  const base = posix.join("/", cache.Path ?? "", namespace, "project", String(projectId)).slice(1);
  const full = sharded ? posix.join(base, key.slice(0, 2), key) : posix.join(base, key);
  return full.startsWith(`${base}/`) ? full : undefined;
}

/**
 * The object's URL as the S3 client addresses it, without the query (what CleanURL leaves):
 * https unless Insecure, virtual-hosted (<bucket>.<ServerAddress>) unless PathStyle, which when
 * unset is guessed as minio-go's s3utils.IsVirtualHostSupported does (Amazon, Google, Aliyun OSS
 * hosts; not for a dotted bucket over https).
 */
export function objectUrl(
  s3: NonNullable<NonNullable<RunnerEntry["cache"]>["s3"]>,
  bucket: string,
  path: string,
): string {
  const scheme = s3.Insecure ? "http" : "https";
  const address = (s3.ServerAddress || "s3.amazonaws.com").replace(scheme === "https" ? /:443$/ : /:80$/, "");
  const virtualHostGuess =
    /(^|\.)amazonaws\.com(\.cn)?$|^storage\.googleapis\.com$|aliyuncs\.com$/.test(address.replace(/:\d+$/, "")) &&
    !(scheme === "https" && bucket.includes("."));
  const pathStyle = s3.PathStyle ?? !virtualHostGuess;
  const escaped = path.split("/").map(encodeURIComponent).join("/");
  return pathStyle ? `${scheme}://${address}/${bucket}/${escaped}` : `${scheme}://${bucket}.${address}/${escaped}`;
}

/**
 * Where cache.zip outlives the job pod without a bucket: a PVC mounted at (or above) cache_dir.
 * An emptyDir or no volume there means every pod starts without it.
 */
function localLocation(ctx: CacheContext, key: string): string | undefined {
  const cacheDir = ctx.runner.cache_dir || DEFAULT_CACHE_DIR;
  const claim = (ctx.runner.kubernetes?.volumes?.pvc ?? []).find(
    (v) => cacheDir === v.mount_path || cacheDir.startsWith(`${v.mount_path.replace(/\/+$/, "")}/`),
  );
  if (!claim) return undefined;
  return `pvc:${ctx.runner.kubernetes?.namespace || "default"}/${claim.name}:${posix.join(cacheDir, key, "cache.zip")}`;
}

function pulls(entry: JobCache): boolean {
  return entry.policy !== "push";
}

/** spec.CacheWhen ShouldCache: on_success (the default), on_failure or always. */
function whenMatches(entry: JobCache, onSuccess: boolean): boolean {
  const when = entry.when || "on_success";
  return when === "always" || (onSuccess ? when === "on_success" : when === "on_failure");
}

function hasFiles(entry: JobCache): boolean {
  return entry.paths.length > 0 || entry.untracked;
}

/** Does the restore_cache stage run at all (cacheExtractor returns ErrSkipBuildStage otherwise)? */
export function restoresCache(caches: readonly JobCache[]): boolean {
  return caches.some(hasFiles);
}

/** Does an archive_cache stage run (archiveCache skips it when no entry has files to archive for this outcome)? */
export function archivesCache(caches: readonly JobCache[], onSuccess: boolean): boolean {
  return caches.some((c) => hasFiles(c) && whenMatches(c, onSuccess));
}

/** The restore_cache stage's output for every cache entry (shells/abstract.go cacheExtractor, commands/helpers/cache_extractor.go). */
export function restoreCacheLines(caches: readonly JobCache[], ctx: CacheContext): string[] {
  const lines: string[] = [];
  for (const entry of caches) {
    if (!hasFiles(entry)) continue;
    const key = humanKey(entry, ctx);
    if (!pulls(entry)) {
      lines.push(`Not downloading cache ${key} due to policy`);
      continue;
    }
    lines.push(`Checking cache for ${key}...`);
    const adapter = adapterFor(ctx);
    let found: boolean;
    if (adapter.kind === "s3" && adapter.url(key, false)) {
      const primary = adapter.url(key, false)!;
      const alternate = adapter.url(alternateKey(key), true);
      const stored = ctx.storage.get(primary);
      lines.push(helperLog("Using presigned URL for cache download"));
      if (alternate)
        lines.push(
          helperLog("Selecting primary cache URL", {
            primary_url: primary,
            alternate_url: alternate,
            primary_modified: stored ? goTime(stored.modified) : ZERO_TIME,
            alternate_modified: ZERO_TIME,
          }),
        );
      if (stored) lines.push(helperLog(`Downloading cache from ${primary}`, { ETag: `"${stored.etag}"` }));
      // getCache: a 404 is os.ErrNotExist, logged by warningln before the helper exits 1.
      else lines.push(helperLog("file does not exist", {}, "warning"));
      found = Boolean(stored);
    } else {
      lines.push(
        helperLog(
          "No URL provided, cache will not be downloaded from shared cache server. Instead a local version of cache will be extracted.",
        ),
      );
      const local = localLocation(ctx, key);
      found = Boolean(local && ctx.storage.get(local));
      if (!found) lines.push(helperLog("Cache file does not exist", {}, "warning"));
    }
    lines.push(found ? "Successfully extracted cache" : "Failed to extract cache");
  }
  return lines;
}

/**
 * The archive_cache (or archive_cache_on_failure) stage's output, uploading what it archives
 * (shells/abstract.go archiveCache/addCacheUploadCommand, commands/helpers/cache_archiver.go).
 * An archive just restored and left unchanged is not uploaded again.
 */
export function archiveCacheLines(
  caches: readonly JobCache[],
  ctx: CacheContext,
  onSuccess: boolean,
  restored: ReadonlySet<string>,
): string[] {
  const lines: string[] = [];
  for (const entry of caches) {
    if (!hasFiles(entry) || !whenMatches(entry, onSuccess)) continue;
    const key = humanKey(entry, ctx);
    if (entry.policy === "pull") {
      lines.push(`Not uploading cache ${key} due to policy`);
      continue;
    }
    lines.push(`Creating cache ${key}...`);
    for (const path of entry.paths)
      lines.push(helperLog(`${path}: found ${fileCount(`${key}/${path}`)} matching artifact files and directories`));
    const adapter = adapterFor(ctx);
    const url = adapter.kind === "s3" ? adapter.url(key, false) : undefined;
    if (restored.has(key)) {
      // isFileChanged is false; the alternate file differs, so the primary URL is checked (HEAD) first.
      lines.push(helperLog("Primary cache already exists remotely, skipping upload"));
    } else if (url) {
      lines.push(helperLog("Using presigned URL for cache upload"));
      lines.push(helperLog(`Uploading cache.zip to ${url}`));
      ctx.storage.put(url, ctx.now);
    } else {
      lines.push(
        helperLog(
          "No URL provided, cache will not be uploaded to shared cache server. Cache will be stored only locally.",
        ),
      );
      const local = localLocation(ctx, key);
      if (local) ctx.storage.put(local, ctx.now);
    }
    lines.push("Created cache");
  }
  return lines;
}

/** Which keys the restore found (so the archive step knows what is unchanged). */
export function restoredKeys(caches: readonly JobCache[], ctx: CacheContext): Set<string> {
  const keys = new Set<string>();
  for (const entry of caches) {
    if (!hasFiles(entry) || !pulls(entry)) continue;
    const key = humanKey(entry, ctx);
    const adapter = adapterFor(ctx);
    const url = adapter.kind === "s3" ? adapter.url(key, false) : undefined;
    const location = url ?? localLocation(ctx, key);
    if (location && ctx.storage.get(location)) keys.add(key);
  }
  return keys;
}

/** A stable, plausible file count for a cached path. */
function fileCount(seed: string): number {
  return 200 + (createHash("sha256").update(seed).digest().readUInt16BE(0) % 4000);
}
