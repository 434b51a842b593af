/**
 * What a simulated shell sees inside a running container: its environment (the pod spec's plain and
 * ConfigMap-backed variables; Secret-backed ones are left out on purpose), a small file tree (mounted
 * ConfigMaps, the runner's attach log, the job's checkout) and its processes. Built from the pod
 * object each time a session starts, so it follows whatever the simulation wrote.
 */
import type { KubeObject } from "../types";

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: Array<{
    name: string;
    value?: string;
    valueFrom?: {
      fieldRef?: { fieldPath?: string };
      configMapKeyRef?: { name?: string; key?: string };
      secretKeyRef?: unknown;
    };
  }>;
  volumeMounts?: Array<{ name: string; mountPath: string; subPath?: string }>;
}

export interface PodShape extends KubeObject {
  spec?: {
    containers?: ContainerSpec[];
    initContainers?: ContainerSpec[];
    volumes?: Array<{ name: string; configMap?: { name?: string }; emptyDir?: unknown }>;
    nodeName?: string;
  };
  status?: {
    phase?: string;
    podIP?: string;
    containerStatuses?: Array<{
      name: string;
      state?: { running?: { startedAt?: string }; waiting?: { reason?: string }; terminated?: unknown };
    }>;
  };
}

/** A file's content, read when the shell opens it (a log grows while the session is open). */
export type FileNode = { type: "file"; read: () => string } | { type: "dir" };

export interface Process {
  pid: number;
  command: string;
}

export interface ContainerView {
  podName: string;
  container: string;
  env: Record<string, string>;
  files: Map<string, FileNode>;
  /** Where a shell starts: the container's workingDir, else the job's project directory, else "/". */
  home: string;
  mainProcess: Process;
}

export interface ViewSources {
  configMap(namespace: string, name: string): Record<string, string> | undefined;
  /** The container's log so far (for the Kubernetes executor's attach log, /logs-…/output.log). */
  log(container: string): string[];
}

const BASE_DIRS = ["/", "/bin", "/etc", "/root", "/tmp", "/usr", "/usr/bin", "/var"];

function fieldValue(pod: PodShape, path: string | undefined): string | undefined {
  switch (path) {
    case "metadata.name":
      return pod.metadata.name;
    case "metadata.namespace":
      return pod.metadata.namespace;
    case "spec.nodeName":
      return pod.spec?.nodeName;
    case "status.podIP":
      return pod.status?.podIP;
    default:
      return undefined;
  }
}

function addFile(files: Map<string, FileNode>, path: string, read: () => string): void {
  const parts = path.split("/").filter(Boolean);
  for (let i = 0; i < parts.length - 1; i++) {
    const dir = `/${parts.slice(0, i + 1).join("/")}`;
    if (!files.has(dir)) files.set(dir, { type: "dir" });
  }
  files.set(`/${parts.join("/")}`, { type: "file", read });
}

function addDir(files: Map<string, FileNode>, path: string): void {
  const parts = path.split("/").filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const dir = `/${parts.slice(0, i + 1).join("/")}`;
    if (!files.has(dir)) files.set(dir, { type: "dir" });
  }
}

export function containerView(pod: PodShape, container: ContainerSpec, sources: ViewSources): ContainerView {
  const namespace = pod.metadata.namespace ?? "default";
  const env: Record<string, string> = {
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    HOSTNAME: pod.metadata.name,
    HOME: "/root",
  };
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.fieldRef) {
      const value = fieldValue(pod, variable.valueFrom.fieldRef.fieldPath);
      if (value !== undefined) env[variable.name] = value;
    } else if (variable.valueFrom?.configMapKeyRef) {
      const ref = variable.valueFrom.configMapKeyRef;
      const value = ref.name && ref.key ? sources.configMap(namespace, ref.name)?.[ref.key] : undefined;
      if (value !== undefined) env[variable.name] = value;
    }
    // secretKeyRef: a real container has the value; the demo's shell never shows a Secret.
  }

  const files = new Map<string, FileNode>();
  for (const dir of BASE_DIRS) files.set(dir, { type: "dir" });
  addFile(files, "/etc/hostname", () => `${pod.metadata.name}\n`);
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const mount of container.volumeMounts ?? []) {
    addDir(files, mount.mountPath);
    const configMapName = volumes.get(mount.name)?.configMap?.name;
    if (configMapName) {
      for (const [key, value] of Object.entries(sources.configMap(namespace, configMapName) ?? {})) {
        if (mount.subPath && mount.subPath !== key) continue;
        addFile(files, mount.subPath ? mount.mountPath : `${mount.mountPath}/${key}`, () => value);
      }
    }
    // The Kubernetes executor's attach strategy tees the job's output into <logs dir>/output.log.
    if (/^\/logs-\d+-\d+$/.test(mount.mountPath))
      addFile(files, `${mount.mountPath}/output.log`, () =>
        sources
          .log(container.name)
          .map((l) => `${l}\n`)
          .join(""),
      );
  }
  const projectDir = env.CI_PROJECT_DIR;
  if (projectDir) {
    addFile(
      files,
      `${projectDir}/README.md`,
      () =>
        `# ${env.CI_PROJECT_PATH ?? projectDir}\n\nA simulated checkout at ${env.CI_COMMIT_SHA ?? "HEAD"}` +
        ` (${env.CI_COMMIT_REF_NAME ?? "?"}): the demo cluster runs no real repository.\n`,
    );
  }
  const home = container.workingDir ?? (projectDir && files.has(projectDir) ? projectDir : "/");
  addDir(files, home);

  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  const mainCommand = argv.length ? argv.join(" ").replace(/\s+/g, " ").trim() : (container.image ?? container.name);
  return {
    podName: pod.metadata.name,
    container: container.name,
    env,
    files,
    home,
    mainProcess: { pid: 1, command: mainCommand },
  };
}
