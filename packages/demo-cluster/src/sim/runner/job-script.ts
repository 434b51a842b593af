import type { ContainerScript, PodScript } from "../pod-scripts";
import type { Job } from "./job-catalog";
import { expandVariables } from "./names";

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
 * What the job pod's containers do while the job runs: the helper clones and uploads, the build
 * container echoes the job script and its output, services log their start-up. All containers
 * end together after runMs; the build container's exit code is the job's.
 */
export function jobScript(job: Job, runMs: number, variables: Record<string, string>): PodScript {
  const spread = (lines: string[], from: number, to: number) =>
    lines.map((line, i) => ({ atMs: Math.round(from + ((to - from) * i) / Math.max(1, lines.length - 1)), line }));

  const buildLines = job.template.script.flatMap((step) => [
    `$ ${expandVariables(step.command, variables)}`,
    ...step.output,
  ]);
  // A failing script stops before its last output line.
  const body = job.exitCode === 0 ? buildLines : buildLines.slice(0, -1);
  const outcome =
    job.exitCode === 0 ? "Job succeeded" : `ERROR: Job failed: command terminated with exit code ${job.exitCode}`;
  const build: ContainerScript = {
    runMs,
    exitCode: job.exitCode,
    lines: [
      ...spread(body, Math.min(3000, runMs * 0.1), runMs * 0.9),
      { atMs: Math.max(0, runMs - 400), line: "Cleaning up project directory and file based variables" },
      { atMs: Math.max(0, runMs - 200), line: outcome },
    ],
  };

  const helper: ContainerScript = {
    runMs,
    exitCode: 0,
    lines: [
      ...spread(
        [
          "Fetching changes with git depth set to 20...",
          `Initialized empty Git repository in /builds/${job.project.path}/.git/`,
          "Created fresh repository.",
          `Checking out ${job.sha.slice(0, 8)} as detached HEAD (ref is ${job.ref})...`,
          "Skipping Git submodules setup",
        ],
        0,
        Math.min(2500, runMs * 0.08),
      ),
      ...(job.exitCode === 0
        ? [
            { atMs: Math.round(runMs * 0.92), line: "Saving cache for successful job" },
            { atMs: Math.round(runMs * 0.95), line: "Uploading artifacts for successful job" },
          ]
        : [{ atMs: Math.round(runMs * 0.95), line: "Uploading artifacts for failed job" }]),
    ],
  };

  const script: PodScript = { build, helper };
  job.services.forEach((image, i) => {
    const lines = SERVICE_LINES.find(([pattern]) => pattern.test(image))?.[1] ?? [`${image} started`];
    script[`svc-${i}`] = { runMs, exitCode: 0, lines: spread(lines, 500, Math.min(6000, runMs * 0.2)) };
  });
  return script;
}
