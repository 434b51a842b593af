/**
 * e2e fixture: a job history with known numbers for the cluster cost report (e2e/cost-report.spec.ts).
 * Adds a deleted-with-history-kept connection (archived: no credentials, never reached, listed
 * only on the cost pages) and JOBS job records on it: the seed article's example, 1 vCPU / 2 GiB
 * on ECI, 10 minutes each, spread evenly over the last DAYS days up to now, each billed at the
 * China site's list price (0.000049 + 2 × 0.00000613 = 0.00006126 CNY/s × 600 s = 0.036756 CNY).
 * Prints {"connectionId": …, "jobs": …, "days": …} on stdout.
 *
 * The database is the e2e server's: <E2E_DATA_DIR>/database-url (written by scripts/e2e-server.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { createPrismaClient } from "@/lib/db/client";

const SEED_HISTORY = {
  jobs: 240,
  days: 3,
  vcpuMilli: 1000,
  memoryMiB: 2048,
  billedSeconds: 600,
  costMicros: 36_756,
  projects: ["eci/java-demo", "eci/web"],
} as const;

async function main(): Promise<void> {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is required");
  const url = fs.readFileSync(path.join(dataDir, "database-url"), "utf8").trim();
  const db = createPrismaClient(url);
  const now = Date.now();
  const first = now - SEED_HISTORY.days * 86_400_000;
  const step = (now - first - SEED_HISTORY.billedSeconds * 1000) / (SEED_HISTORY.jobs - 1);
  const name = `seed-example-${now}`;
  try {
    const connection = await db.connection.create({
      data: {
        name,
        server: "https://seed-example.invalid",
        authType: "token",
        // Deleted with its history kept: its credentials were wiped, and nothing reads them again.
        credentials: "",
        priceSite: "cn",
        archivedAt: new Date(now),
      },
    });
    await db.jobRecord.createMany({
      data: Array.from({ length: SEED_HISTORY.jobs }, (_, i) => {
        const createdAt = new Date(first + Math.round(i * step));
        const finishedAt = new Date(createdAt.getTime() + SEED_HISTORY.billedSeconds * 1000);
        return {
          podUid: `${name}-${i}`,
          connectionId: connection.id,
          namespace: "gitlab-runner",
          podName: `runner-seed-project-${i}-concurrent-0`,
          projectPath: SEED_HISTORY.projects[i % SEED_HISTORY.projects.length],
          jobId: String(1000 + i),
          // gitlab-runner names each job's GitLab (job.runner.gitlab.com/url): these jobs are of a GitLab
          // nobody connected. Without a URL the single GitLab connected (the demo's) would claim them,
          // and its real jobs of the same ids would stay unjoined (e2e/gitlab-loop.spec.ts).
          projectId: String(1 + (i % SEED_HISTORY.projects.length)),
          jobUrl: `https://gitlab.seed-example.invalid/${SEED_HISTORY.projects[i % SEED_HISTORY.projects.length]}/-/jobs/${1000 + i}`,
          jobName: "build",
          phase: "Succeeded",
          createdAt,
          startedAt: createdAt,
          finishedAt,
          day: finishedAt.toISOString().slice(0, 10),
          billedSeconds: SEED_HISTORY.billedSeconds,
          vcpuMilli: SEED_HISTORY.vcpuMilli,
          memoryMiB: SEED_HISTORY.memoryMiB,
          requestedVcpuMilli: SEED_HISTORY.vcpuMilli,
          requestedMemoryMiB: SEED_HISTORY.memoryMiB,
          currency: "CNY",
          backend: "eci",
          costMicros: BigInt(SEED_HISTORY.costMicros),
        };
      }),
    });
    process.stdout.write(`${JSON.stringify({ connectionId: connection.id, jobs: SEED_HISTORY.jobs })}\n`);
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1]?.endsWith("seed-cost-history.ts")) void main();
