/**
 * The server Playwright tests run against: the production build on a fresh, temporary data
 * directory, with the demo cluster registered as the connection "demo" (its kubeconfig is
 * <E2E_DATA_DIR>/demo.kubeconfig, which the tests read too).
 */
import fs from "node:fs";
import { runDemo } from "./demo";

const dataDir = process.env.E2E_DATA_DIR;
if (!dataDir) throw new Error("E2E_DATA_DIR is required");
fs.rmSync(dataDir, { recursive: true, force: true });
void runDemo({
  dataDir,
  build: false,
  port: Number(process.env.PORT ?? 3100),
  clusterPort: 0,
  seed: 7,
  jobsPerMinute: Number(process.env.E2E_JOBS_PER_MINUTE ?? 12),
});
