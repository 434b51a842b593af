import type { KubeObject, StoreEvent } from "../../types";
import type { SimContext } from "../context";
import { CONFIG_MAP, SECRET } from "../kinds";
import type { ProbeAnswer, ProbeKind, ProbeSpec, SimulatedProcess } from "../processes";
import { ContainerFs } from "./container-fs";
import type { GitLabClient } from "./gitlab-client";
import type { CacheStorage } from "./job-cache";
import { runnerRelease, versionOfImage, type RunnerRelease } from "./release";
import { RUNNER_BINARIES, configFileOf, parseFlags, register, revision, verify, type CliContext } from "./runner-cli";
import { RunnerService } from "./runner-service";
import { runScript, type CommandResult } from "./shell";

/** The gitlab-runner images' ENTRYPOINT and CMD (dockerfiles/runner/*\/Dockerfile up to v16; runner-tools base images since). */
const IMAGE_ENTRYPOINT = ["/usr/bin/dumb-init", "/entrypoint"];
const IMAGE_CMD = ["run", "--user=gitlab-runner", "--working-directory=/home/gitlab-runner"];
/** How long the kubelet takes to bring a changed ConfigMap or Secret into a mounted volume (its sync period). */
const VOLUME_SYNC_MS: [number, number] = [10_000, 60_000];

interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Array<{
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string };
      configMapKeyRef?: { name: string; key: string };
      fieldRef?: { fieldPath: string };
    };
  }>;
}

export interface RunnerProcessDeps extends SimContext {
  gitlab: GitLabClient;
  cacheStorage: CacheStorage;
  speed: number;
  /** The process exited by itself (fatal error, end of a graceful shutdown): the kubelet reports the container's exit. */
  exited(exitCode: number): void;
}

/**
 * The process in a gitlab-runner container, started from the container's command the way the
 * image runs it: dumb-init, then /entrypoint (which execs gitlab-runner), or a bash script from a
 * mounted ConfigMap (ask-ci's entrypoint, the Helm chart's) run by the small shell in shell.ts.
 * `register` and `verify` run to completion; `run` becomes a RunnerService. It answers the
 * container's probes: HTTP on the metrics port `run` serves, exec probes through the shell.
 */
export class RunnerProcess implements SimulatedProcess {
  readonly release: RunnerRelease;
  private readonly fs: ContainerFs;
  private readonly env: Record<string, string>;
  private service?: RunnerService;
  private state: "running" | "exited" = "running";
  private syncCancel?: () => void;

  constructor(
    private readonly deps: RunnerProcessDeps,
    readonly pod: KubeObject,
    private readonly container: ContainerSpec,
  ) {
    this.release = runnerRelease(versionOfImage(container.image ?? ""));
    this.fs = new ContainerFs(deps.store, pod.metadata.namespace ?? "default", pod, container.name, deps.clock.now());
    this.env = this.resolveEnv();
  }

  get namespace(): string {
    return this.pod.metadata.namespace ?? "default";
  }

  /**
   * Runs the container's command. The simulated shell runs commands to completion, so the verify
   * that `register` does with CI_SERVER_URL/CI_SERVER_TOKEN is asked first (a GitLab over the
   * network answers later than the command would need it).
   */
  start(): void {
    const argv = [
      ...(this.container.command ?? IMAGE_ENTRYPOINT),
      ...(this.container.args ?? (this.container.command ? [] : IMAGE_CMD)),
    ];
    const { CI_SERVER_URL: url, CI_SERVER_TOKEN: token } = this.env;
    const prepare = this.deps.gitlab.prepare;
    if (!prepare || !url || !token) return this.exec(argv);
    prepare.call(this.deps.gitlab, [{ url, token }], () => {
      if (this.state === "running") this.exec(argv);
    });
  }

  /** Store events: job pods of this runner, and ConfigMaps/Secrets mounted into it. */
  onEvent(event: StoreEvent): boolean {
    const object = event.object;
    if ((object.kind === CONFIG_MAP.kind || object.kind === SECRET.kind) && object.apiVersion === "v1") {
      const key = `${object.metadata.namespace}/${object.metadata.name}`;
      const kind = object.kind === CONFIG_MAP.kind ? "configMap" : "secret";
      if (this.fs.sources().some((s) => s.kind === kind && s.key === key)) this.scheduleVolumeSync();
      return false;
    }
    return this.service?.onPodEvent(event) ?? false;
  }

  /** The container is gone or was killed (SIGKILL, OOM, a lost instance): no clean-up happens. */
  kill(): void {
    this.state = "exited";
    this.syncCancel?.();
    this.service?.stop("killed");
  }

  /** SimulatedProcess: the kubelet stops the container with the image's STOPSIGNAL, SIGQUIT. */
  stop(exited: (exitCode: number) => void): void {
    if (!this.service || this.state === "exited") {
      exited(143);
      return;
    }
    this.service.stop("graceful", () => {
      this.log("Graceful shutdown finished");
      this.state = "exited";
      exited(0);
    });
  }

  probe(probe: ProbeSpec, _kind: ProbeKind, ports: Record<string, number>): ProbeAnswer {
    if (probe.httpGet) {
      const port = typeof probe.httpGet.port === "number" ? probe.httpGet.port : ports[probe.httpGet.port ?? ""];
      if (port === undefined)
        return {
          ok: false,
          output: `Get "http://${"pod"}:${probe.httpGet.port}${probe.httpGet.path ?? "/"}": port not found`,
        };
      const path = probe.httpGet.path ?? "/";
      if (!this.service?.isServing(port)) {
        return {
          ok: false,
          output: `Get "http://172.16.0.1:${port}${path}": dial tcp 172.16.0.1:${port}: connect: connection refused`,
        };
      }
      // The runner's metrics server answers /metrics and /debug/; anything else is its 404.
      return path === "/metrics" || path.startsWith("/debug/")
        ? { ok: true, output: "" }
        : { ok: false, output: "HTTP probe failed with statuscode: 404" };
    }
    if (probe.tcpSocket) {
      const port = typeof probe.tcpSocket.port === "number" ? probe.tcpSocket.port : ports[probe.tcpSocket.port ?? ""];
      return port !== undefined && this.service?.isServing(port)
        ? { ok: true, output: "" }
        : { ok: false, output: `dial tcp 172.16.0.1:${port}: connect: connection refused` };
    }
    if (probe.exec?.command?.length) {
      const result = this.runCommand(probe.exec.command, this.env, undefined, true);
      if (result.notSimulated) return { unknown: result.output.trim() };
      return { ok: result.code === 0, output: result.output };
    }
    return { unknown: "this kind of probe is not simulated for gitlab-runner" };
  }

  private exec(argv: string[]): void {
    const result = this.runCommand(argv, this.env, undefined, false);
    for (const line of result.output.split("\n").filter(Boolean)) this.log(line);
    if (result.longRunning) return;
    if (result.notSimulated) {
      // Plainly: the container runs, but nothing in it is simulated.
      this.deps.events.record(this.pod, {
        type: "Warning",
        reason: "NotSimulated",
        message: `container ${this.container.name}: ${result.output.trim()}`,
        component: "demo-cluster",
      });
      return;
    }
    this.state = "exited";
    this.deps.exited(result.code);
  }

  /**
   * Runs argv in the container. `probe`: a one-shot command run next to the main process (an
   * exec probe), which cannot become the runner.
   */
  private runCommand(
    argv: string[],
    env: Record<string, string>,
    stdin: string | undefined,
    probe: boolean,
  ): CommandResult & { longRunning?: boolean; notSimulated?: boolean } {
    let args = [...argv];
    // dumb-init only forwards signals.
    if (args[0] === "/usr/bin/dumb-init" || args[0] === "dumb-init") {
      args = args.slice(1);
      if (args[0] === "--") args = args.slice(1);
    }
    const [command, ...rest] = args;
    if (command === undefined) return { code: 0, output: "" };
    if (RUNNER_BINARIES.has(command)) {
      const result = this.runnerCommand(rest, env, probe);
      if (probe) return result;
      // The main process writes to the container log as it goes, not when its script ends.
      for (const line of result.output.split("\n").filter(Boolean)) this.log(line);
      return { ...result, output: "" };
    }
    if ((command === "/bin/bash" || command === "bash" || command === "/bin/sh" || command === "sh") && rest.length) {
      const script = rest[0] === "-c" ? (rest[1] ?? "") : this.fs.read(rest[0])?.content;
      if (script === undefined) return { code: 127, output: `${command}: ${rest[0]}: No such file or directory\n` };
      const result = runScript(script, {
        env,
        run: (inner, innerEnv, innerStdin) => this.runCommand(inner, innerEnv, innerStdin, probe),
      });
      if (result.exec) {
        const replaced = this.runCommand(result.exec, env, undefined, probe);
        return { ...replaced, output: result.output + replaced.output };
      }
      return result;
    }
    const now = this.deps.clock.now();
    if (command === "mkdir") {
      for (const path of rest.filter((a) => !a.startsWith("-"))) {
        const error = this.fs.mkdir(path);
        if (error) return { code: 1, output: `mkdir: ${error}\n` };
      }
      return { code: 0, output: "" };
    }
    if (command === "cp" && rest.length === 2) {
      const source = this.fs.read(rest[0]);
      if (!source) return { code: 1, output: `cp: cannot stat '${rest[0]}': No such file or directory\n` };
      const target = this.fs.isDirectory(rest[1]) ? `${rest[1]}/${rest[0].split("/").pop()}` : rest[1];
      const error = this.fs.write(target, source.content, now);
      return error ? { code: 1, output: `cp: cannot create regular file ${error}\n` } : { code: 0, output: "" };
    }
    return {
      code: 127,
      output: `the demo cluster does not simulate \`${args.join(" ")}\` in a gitlab-runner container\n`,
      notSimulated: true,
    };
  }

  private runnerCommand(
    args: string[],
    env: Record<string, string>,
    probe: boolean,
  ): CommandResult & { longRunning?: boolean; notSimulated?: boolean } {
    const ctx: CliContext = {
      release: this.release,
      fs: this.fs,
      env,
      gitlab: this.deps.gitlab,
      now: this.deps.clock.now(),
    };
    const [sub, ...rest] = args;
    switch (sub) {
      case "register":
        return register(rest, ctx);
      case "verify":
        return verify(rest, ctx);
      case "--version":
      case "-v":
        return {
          code: 0,
          output: `Version:      ${this.release.version}\nGit revision: ${revision(this.release.version)}\n`,
        };
      case "run": {
        if (probe || this.service)
          return { code: 1, output: "FATAL: run is not simulated as a second process\n", notSimulated: true };
        const flags = parseFlags(rest, ["syslog"]);
        this.log(
          `Runtime platform                                    arch=amd64 os=linux pid=7 revision=${revision(this.release.version)} version=${this.release.version}`,
        );
        const service = new RunnerService(
          {
            ...this.deps,
            release: this.release,
            fs: this.fs,
            env,
            hostname: this.pod.metadata.name,
            listenAddressFlag: flags["listen-address"] ?? env.LISTEN_ADDRESS,
            defaultHelperImage: `registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v${this.release.version}`,
            log: (line) => this.log(line),
          },
          configFileOf(flags, env),
        );
        const fatal = service.start();
        if (fatal) return { code: 1, output: `${fatal}\n` };
        this.service = service;
        return { code: 0, output: "", longRunning: true };
      }
      default:
        return {
          code: 127,
          output: `the demo cluster does not simulate \`gitlab-runner ${args.join(" ")}\`\n`,
          notSimulated: true,
        };
    }
  }

  private scheduleVolumeSync(): void {
    if (this.syncCancel || this.state === "exited") return;
    this.syncCancel = this.deps.clock.setTimeout(
      () => {
        this.syncCancel = undefined;
        this.fs.sync(this.deps.clock.now());
      },
      Math.round(this.deps.random.between(...VOLUME_SYNC_MS)),
    );
  }

  /** The container's environment as the kubelet sets it: values, Secret and ConfigMap keys, pod fields. */
  private resolveEnv(): Record<string, string> {
    const env: Record<string, string> = {
      PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      HOSTNAME: this.pod.metadata.name,
      HOME: "/home/gitlab-runner",
    };
    for (const variable of this.container.env ?? []) {
      if (variable.value !== undefined) env[variable.name] = variable.value;
      const from = variable.valueFrom;
      if (from?.secretKeyRef) {
        const secret = this.deps.store.get(SECRET, this.namespace, from.secretKeyRef.name) as
          (KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> }) | undefined;
        const encoded = secret?.data?.[from.secretKeyRef.key];
        const value =
          secret?.stringData?.[from.secretKeyRef.key] ?? (encoded && Buffer.from(encoded, "base64").toString("utf8"));
        if (value !== undefined) env[variable.name] = value;
      } else if (from?.configMapKeyRef) {
        const configMap = this.deps.store.get(CONFIG_MAP, this.namespace, from.configMapKeyRef.name) as
          (KubeObject & { data?: Record<string, string> }) | undefined;
        const value = configMap?.data?.[from.configMapKeyRef.key];
        if (value !== undefined) env[variable.name] = value;
      } else if (from?.fieldRef?.fieldPath === "metadata.name") env[variable.name] = this.pod.metadata.name;
      else if (from?.fieldRef?.fieldPath === "metadata.namespace") env[variable.name] = this.namespace;
    }
    return env;
  }

  private log(line: string): void {
    this.deps.logs.append(this.namespace, this.pod.metadata.name, this.container.name, line);
  }
}
