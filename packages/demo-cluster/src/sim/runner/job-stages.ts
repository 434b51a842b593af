import type { ContainerScript, PodScript } from "../pod-scripts";
import type { Job, ServiceDef } from "./job-catalog";
import { expandVariables } from "./names";

/**
 * The stages of a job as the Kubernetes executor's attach strategy runs them (common/build.go,
 * executors/kubernetes: runWithAttach): each one is a script the runner writes into the emptyDir
 * and starts over attach in the helper (predefined stages) or the build container, with its
 * output tee'd to the container's stdout and the log file, ending with the exit-status marker
 * line the runner reads back (shells/bash.go bashJSONTerminationScript).
 */

export type StageName =
  | "prepare_script"
  | "get_sources"
  | "restore_cache"
  | "step_script"
  | "archive_cache"
  | "archive_cache_on_failure"
  | "upload_artifacts_on_success"
  | "upload_artifacts_on_failure"
  | "cleanup_file_variables";

export interface Stage {
  name: StageName;
  container: "build" | "helper";
  /** Share of the job's run time. */
  share: number;
  lines: string[];
  exitCode: number;
}

/** The stage's exit-status marker, as the trap in every stage script prints it. */
export function exitMarker(scriptsDir: string, stage: StageName, exitCode: number): string {
  return `{"command_exit_code": ${exitCode}, "script": "${scriptsDir}/${stage}"}`;
}

/** Reads a stage's exit code back from a container's log, as the runner's log processor does. */
export function readExitCode(lines: readonly string[], scriptsDir: string, stage: StageName): number | undefined {
  const script = `${scriptsDir}/${stage}`;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (!line.startsWith("{")) continue;
    try {
      const status = JSON.parse(line) as { command_exit_code?: unknown; script?: unknown };
      if (status.script === script && typeof status.command_exit_code === "number") return status.command_exit_code;
    } catch {
      // Output that merely looks like JSON.
    }
  }
  return undefined;
}

/** Stages up to and including step_script, which decides whether the after-stages are the success or failure ones. */
export function stagesBefore(
  job: Job,
  variables: Record<string, string>,
  where: { podName: string; runnerHost: string },
  /** restore_cache's output, or undefined when the job has no cache to restore (the stage is skipped). */
  restoreCache: string[] | undefined,
): Stage[] {
  const stages: Stage[] = [
    {
      name: "prepare_script",
      container: "build",
      share: 0.01,
      exitCode: 0,
      lines: [`Running on ${where.podName} via ${where.runnerHost}...`],
    },
    {
      name: "get_sources",
      container: "helper",
      share: 0.06,
      exitCode: 0,
      lines: [
        "Fetching changes with git depth set to 20...",
        `Initialized empty Git repository in /builds/${job.project.path}/.git/`,
        "Created fresh repository.",
        `Checking out ${job.sha.slice(0, 8)} as detached HEAD (ref is ${job.ref})...`,
        "Skipping Git submodules setup",
      ],
    },
    {
      name: "restore_cache",
      container: "helper",
      share: 0.03,
      exitCode: 0,
      lines: ["Restoring cache", ...(restoreCache ?? [])],
    },
    {
      name: "step_script",
      container: "build",
      share: 0.8,
      exitCode: job.exitCode,
      lines: stepLines(job, variables),
    },
  ];
  // cacheExtractor answers ErrSkipBuildStage when no cache entry has paths (shells/abstract.go).
  return restoreCache ? stages : stages.filter((s) => s.name !== "restore_cache");
}

/**
 * Stages after step_script. `archiveCache` is the archive stage's output, or undefined when no
 * cache entry is archived for this outcome (archiveCache skips the stage).
 */
export function stagesAfter(succeeded: boolean, archiveCache: string[] | undefined): Stage[] {
  const stages: Stage[] = succeeded
    ? [
        {
          name: "archive_cache",
          container: "helper",
          share: 0.04,
          exitCode: 0,
          lines: ["Saving cache for successful job", ...(archiveCache ?? [])],
        },
        {
          name: "upload_artifacts_on_success",
          container: "helper",
          share: 0.05,
          exitCode: 0,
          lines: ["Uploading artifacts for successful job"],
        },
        cleanupStage(),
      ]
    : [
        {
          name: "archive_cache_on_failure",
          container: "helper",
          share: 0.04,
          exitCode: 0,
          lines: ["Saving cache for failed job", ...(archiveCache ?? [])],
        },
        {
          name: "upload_artifacts_on_failure",
          container: "helper",
          share: 0.05,
          exitCode: 0,
          lines: ["Uploading artifacts for failed job"],
        },
        cleanupStage(),
      ];
  return archiveCache
    ? stages
    : stages.filter((s) => s.name !== "archive_cache" && s.name !== "archive_cache_on_failure");
}

function cleanupStage(): Stage {
  return {
    name: "cleanup_file_variables",
    container: "helper",
    share: 0.01,
    exitCode: 0,
    lines: ["Cleaning up project directory and file based variables"],
  };
}

function stepLines(job: Job, variables: Record<string, string>): string[] {
  const lines = job.template.script.flatMap((step) => [
    `$ ${expandVariables(step.command, variables)}`,
    ...step.output,
  ]);
  // A failing script stops before its last output line.
  return job.exitCode === 0 ? lines : lines.slice(0, -1);
}

const SERVICE_LINES: Array<[RegExp, string[]]> = [
  [
    /mysql/,
    [
      "[Note] [Entrypoint]: Database files initialized",
      "[System] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0.40'  port: 3306",
    ],
  ],
  [
    /postgres/,
    ["PostgreSQL init process complete; ready for start up.", "LOG:  database system is ready to accept connections"],
  ],
  [/redis/, ["* Ready to accept connections tcp"]],
  [/dind/, ['level=info msg="API listen on [::]:2375"', 'level=info msg="Daemon has completed initialization"']],
];

/**
 * What the job pod's containers do on their own, for the kubelet: build and helper sit in the
 * shell the runner attaches to (PID 1 ignores SIGTERM, so a deletion waits for the grace period),
 * services log their start-up and run until stopped.
 */
export function jobPodScript(expectedMs: number, services: Array<{ name: string; service: ServiceDef }>): PodScript {
  const shell: ContainerScript = { exitCode: 0, lines: [], ignoresSigterm: true, expectedMs };
  const script: PodScript = {
    "init-permissions": { runMs: 300, exitCode: 0, lines: [] },
    build: shell,
    helper: { ...shell },
  };
  for (const { name, service } of services) {
    const lines = SERVICE_LINES.find(([pattern]) => pattern.test(service.name))?.[1] ?? [`${service.name} started`];
    script[name] = {
      exitCode: 0,
      lines: lines.map((line, i) => ({ atMs: 500 + i * 1500, line })),
    };
  }
  return script;
}
