/** What one container of a simulated pod does once started. */
export interface ContainerScript {
  /** How long it runs before exiting; undefined runs until the pod is deleted. */
  runMs?: number;
  exitCode: number;
  /** Log lines and when, after the container starts, each is written. */
  lines: Array<{ atMs: number; line: string }>;
  /**
   * Its PID 1 ignores SIGTERM (a shell, as GitLab Runner starts build and helper): when the pod
   * is deleted it runs until the grace period ends and is killed (exit 137).
   */
  ignoresSigterm?: boolean;
  /** For a container without runMs: how long its workload expects it to be busy; failures strike part-way. */
  expectedMs?: number;
}

export type PodScript = Record<string, ContainerScript>;

/**
 * Hand-off between workloads and the kubelet: a workload (the GitLab Runner) that creates a pod
 * says what its containers will do; the kubelet takes the script when it starts the pod.
 */
export class PodScripts {
  private readonly scripts = new Map<string, PodScript>();

  set(namespace: string, name: string, script: PodScript): void {
    this.scripts.set(`${namespace}/${name}`, script);
  }

  get(namespace: string, name: string): PodScript | undefined {
    return this.scripts.get(`${namespace}/${name}`);
  }

  forget(namespace: string, name: string): void {
    this.scripts.delete(`${namespace}/${name}`);
  }
}
