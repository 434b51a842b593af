import type { ClusterStore, KubeObject } from "../../types";
import { CONFIG_MAP, SECRET } from "../kinds";

export interface FileEntry {
  content: string;
  /** When the content last changed, as the process sees it (epoch ms). */
  mtimeMs: number;
}

interface Mount {
  path: string;
  readOnly: boolean;
  /** Where the files come from: a ConfigMap/Secret (re-read at each kubelet sync) or an emptyDir. */
  source:
    { kind: "configMap" | "secret"; name: string; items?: Array<{ key: string; path: string }> } | { kind: "emptyDir" };
}

interface VolumeSpec {
  name: string;
  configMap?: { name: string; items?: Array<{ key: string; path: string }> };
  secret?: { secretName: string; items?: Array<{ key: string; path: string }> };
  emptyDir?: unknown;
  projected?: {
    sources?: Array<{
      configMap?: { name: string; items?: Array<{ key: string; path: string }> };
      secret?: { name: string; items?: Array<{ key: string; path: string }> };
    }>;
  };
}

interface ContainerSpec {
  name: string;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean; subPath?: string }>;
}

const normalize = (p: string) => "/" + p.split("/").filter(Boolean).join("/");

/**
 * The files a container sees: its ConfigMap, Secret and emptyDir mounts, as the kubelet lays them
 * out. ConfigMap and Secret files change when the kubelet syncs the volume (`sync()`), not at the
 * moment the object changes; emptyDir files are the container's own. Everything outside the
 * mounts is the image, of which only a few well-known paths exist.
 */
export class ContainerFs {
  private readonly mounts: Mount[] = [];
  private readonly files = new Map<string, FileEntry>();
  private readonly dirs = new Set<string>(["/", "/etc/gitlab-runner", "/home/gitlab-runner", "/tmp"]);

  constructor(
    private readonly store: ClusterStore,
    private readonly namespace: string,
    pod: KubeObject,
    containerName: string,
    now: number,
  ) {
    const spec = (pod.spec ?? {}) as { volumes?: VolumeSpec[]; containers?: ContainerSpec[] };
    const container = (spec.containers ?? []).find((c) => c.name === containerName);
    for (const volumeMount of container?.volumeMounts ?? []) {
      if (volumeMount.subPath) continue;
      const volume = (spec.volumes ?? []).find((v) => v.name === volumeMount.name);
      const path = normalize(volumeMount.mountPath);
      this.dirs.add(path);
      const readOnly = Boolean(volumeMount.readOnly);
      if (volume?.configMap)
        this.mounts.push({ path, readOnly: true, source: { kind: "configMap", ...volume.configMap } });
      else if (volume?.secret)
        this.mounts.push({
          path,
          readOnly: true,
          source: { kind: "secret", name: volume.secret.secretName, items: volume.secret.items },
        });
      else if (volume?.projected) {
        for (const source of volume.projected.sources ?? []) {
          if (source.configMap)
            this.mounts.push({ path, readOnly: true, source: { kind: "configMap", ...source.configMap } });
          if (source.secret) this.mounts.push({ path, readOnly: true, source: { kind: "secret", ...source.secret } });
        }
      } else if (volume?.emptyDir !== undefined) this.mounts.push({ path, readOnly, source: { kind: "emptyDir" } });
    }
    this.sync(now);
  }

  /** The ConfigMaps and Secrets ("namespace/name") whose changes reach this container's files. */
  sources(): Array<{ kind: "configMap" | "secret"; key: string }> {
    return this.mounts.flatMap((m) =>
      m.source.kind === "emptyDir" ? [] : [{ kind: m.source.kind, key: `${this.namespace}/${m.source.name}` }],
    );
  }

  /** The kubelet's volume sync: ConfigMap/Secret files take the objects' current data. */
  sync(now: number): void {
    for (const mount of this.mounts) {
      if (mount.source.kind === "emptyDir") continue;
      const data = this.objectData(mount.source.kind, mount.source.name);
      const entries = mount.source.items
        ? mount.source.items.filter((i) => data[i.key] !== undefined).map((i) => [i.path, data[i.key]] as const)
        : Object.entries(data);
      for (const [name, content] of entries) {
        const path = normalize(`${mount.path}/${name}`);
        const existing = this.files.get(path);
        if (existing?.content !== content) this.files.set(path, { content, mtimeMs: now });
      }
    }
  }

  read(path: string): FileEntry | undefined {
    return this.files.get(normalize(path));
  }

  exists(path: string): boolean {
    const p = normalize(path);
    return this.files.has(p) || this.dirs.has(p) || IMAGE_FILES.has(p);
  }

  isDirectory(path: string): boolean {
    return this.dirs.has(normalize(path));
  }

  /** Writes a file; an error message (as the shell prints it) when the place is read-only or missing. */
  write(path: string, content: string, now: number): string | undefined {
    const p = normalize(path);
    const parent = p.slice(0, p.lastIndexOf("/")) || "/";
    if (!this.dirs.has(parent)) return `${path}: No such file or directory`;
    const mount = this.mountOf(p);
    if (mount?.readOnly) return `${path}: Read-only file system`;
    this.files.set(p, { content, mtimeMs: now });
    return undefined;
  }

  mkdir(path: string): string | undefined {
    const p = normalize(path);
    if (this.mountOf(p)?.readOnly && !this.dirs.has(p))
      return `cannot create directory '${path}': Read-only file system`;
    const parts = p.split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) this.dirs.add("/" + parts.slice(0, i).join("/"));
    return undefined;
  }

  private mountOf(path: string): Mount | undefined {
    return this.mounts
      .filter((m) => path === m.path || path.startsWith(`${m.path}/`))
      .sort((a, b) => b.path.length - a.path.length)[0];
  }

  private objectData(kind: "configMap" | "secret", name: string): Record<string, string> {
    const object = this.store.get(kind === "configMap" ? CONFIG_MAP : SECRET, this.namespace, name) as
      (KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> }) | undefined;
    if (!object) return {};
    if (kind === "configMap") return object.data ?? {};
    const decoded: Record<string, string> = {};
    for (const [key, value] of Object.entries(object.data ?? {}))
      decoded[key] = Buffer.from(value, "base64").toString("utf8");
    return { ...decoded, ...object.stringData };
  }
}

/** What the gitlab-runner images provide outside any mount (runner-tools base images, v16 Dockerfile). */
const IMAGE_FILES = new Set(["/entrypoint", "/usr/bin/dumb-init", "/usr/bin/gitlab-runner", "/bin/bash", "/bin/sh"]);
