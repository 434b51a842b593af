/**
 * Simulated container processes and their probes, as the kubelet runs them (pkg/kubelet/prober):
 * a startup probe gates the others; readiness sets the container's ready flag; liveness and
 * startup failures past the threshold restart the container. Whether a probe succeeds is answered
 * by the workload that simulates the container's process (the GitLab Runner for its pods); a
 * probe nothing can answer is reported as such on the pod's events and never counts as a success
 * for readiness.
 */

export interface ProbeSpec {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port?: number | string; host?: string; scheme?: string };
  tcpSocket?: { port?: number | string };
  grpc?: { port?: number };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export type ProbeKind = "startup" | "readiness" | "liveness";

/** ok: the probe's verdict and what it printed; unknown: the simulation cannot run this probe (why). */
export type ProbeAnswer = { ok: boolean; output: string } | { unknown: string };

/**
 * A container's main process as a workload simulates it (the GitLab Runner for its pods). The
 * kubelet asks it for probe results, and tells it when the container is being stopped.
 */
export interface SimulatedProcess {
  /** `ports`: containerPort numbers by port name, to resolve `port: metrics`. */
  probe(probe: ProbeSpec, kind: ProbeKind, ports: Record<string, number>): ProbeAnswer;
  /**
   * The pod is being deleted: the process gets the container's stop signal. It calls `exited`
   * once it has ended by itself; otherwise the kubelet kills it when the grace period is over.
   */
  stop(exited: (exitCode: number) => void): void;
}

export interface StartedContainer {
  namespace: string;
  pod: string;
  container: string;
  containerId: string;
}

/** Where workloads register the processes they simulate, for the kubelet to find. */
export class ProcessRegistry {
  private readonly processes = new Map<string, SimulatedProcess>();
  private readonly startListeners = new Set<(started: StartedContainer) => void>();

  /** Workloads hear of every container start at once, so its process exists before the first probe. */
  onContainerStart(listener: (started: StartedContainer) => void): () => void {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }

  containerStarted(started: StartedContainer): void {
    for (const listener of this.startListeners) listener(started);
  }

  register(namespace: string, pod: string, container: string, process: SimulatedProcess): () => void {
    const key = `${namespace}/${pod}/${container}`;
    this.processes.set(key, process);
    return () => {
      if (this.processes.get(key) === process) this.processes.delete(key);
    };
  }

  get(namespace: string, pod: string, container: string): SimulatedProcess | undefined {
    return this.processes.get(`${namespace}/${pod}/${container}`);
  }
}

/** "exec [/bin/bash /configmaps/check-ready]", "http-get :metrics/metrics", as kubectl describe shows probes. */
export function describeProbe(probe: ProbeSpec): string {
  if (probe.exec) return `exec [${(probe.exec.command ?? []).join(" ")}]`;
  if (probe.httpGet)
    return `http-get ${(probe.httpGet.scheme ?? "HTTP").toLowerCase()}://${probe.httpGet.host ?? ""}:${probe.httpGet.port}${probe.httpGet.path ?? "/"}`;
  if (probe.tcpSocket) return `tcp-socket :${probe.tcpSocket.port}`;
  if (probe.grpc) return `grpc <pod>:${probe.grpc.port}`;
  return "a probe without a handler";
}

/** The kubelet's defaults for unset probe fields. */
export function probeTiming(probe: ProbeSpec) {
  return {
    initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: (probe.periodSeconds ?? 10) * 1000,
    successThreshold: probe.successThreshold ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  };
}
