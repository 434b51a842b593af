import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import type { DemoGitlab } from "@ask-ci/demo-gitlab";
import { startDemoBackends } from "@/scripts/demo";

/**
 * `npm run demo` started again on the same data directory: the runners GitLab still knows are
 * reused (same ids, same tokens), and the demo cluster's runners follow GitLab to its new address
 * (here a new ephemeral port), their pods running again without crash loops.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-demo-restart-"));
const options = { clusterPort: 0, gitlabPort: 0, seed: 7, speed: 30, failureRate: 0, pushesPerHour: 0 };
let running: { cluster: DemoCluster; gitlab: DemoGitlab } | undefined;

async function stop() {
  await running?.cluster.stop();
  await running?.gitlab.stop();
  running = undefined;
}

afterAll(async () => {
  await stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const runnerIds = (file: string) =>
  (JSON.parse(fs.readFileSync(file, "utf8")) as { runners: Array<{ gitlabRunnerId: number }> }).runners.map(
    (r) => r.gitlabRunnerId,
  );

describe("npm run demo, started again", () => {
  it(
    "reuses the runners GitLab knows and points the cluster's runners at GitLab's new URL",
    { timeout: 120_000 },
    async () => {
      const first = await startDemoBackends(dataDir, options);
      running = first;
      const ids = runnerIds(first.runnersPath);
      await stop();

      const second = await startDemoBackends(dataDir, options);
      running = second;
      expect(second.gitlab.url).not.toBe(first.gitlab.url);
      expect(runnerIds(second.runnersPath)).toEqual(ids);
      const config = second.cluster.store.get(
        { apiVersion: "v1", kind: "ConfigMap" },
        "gitlab-runner",
        "ask-ci-demo-config",
      );
      expect(JSON.stringify(config?.data)).toContain(`url = \\"${second.gitlab.url}/\\"`);
      expect(JSON.stringify(config?.data)).not.toContain(first.gitlab.url);
      // The runners verify against GitLab at its new address: Running, never restarted.
      await expect
        .poll(
          () =>
            second.cluster.store
              .list({ apiVersion: "v1", kind: "Pod" }, { namespace: "gitlab-runner" })
              .filter((p) => !p.metadata.deletionTimestamp)
              .map((p) => {
                const status = p.status as { phase?: string; containerStatuses?: Array<{ restartCount: number }> };
                return `${status.phase}/${status.containerStatuses?.[0]?.restartCount ?? "-"}`;
              }),
          { timeout: 30_000 },
        )
        .toEqual(["Running/0", "Running/0"]);
    },
  );
});
