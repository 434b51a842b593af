import { defineConfig } from "@playwright/test";
import os from "node:os";
import path from "node:path";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `ask-ci-e2e-${process.pid}`);
export const E2E_ADMIN_PASSWORD = "e2e-admin-password";
// Tests read the demo cluster's kubeconfig from here (written by scripts/e2e-server.ts).
process.env.E2E_DEMO_KUBECONFIG = path.join(dataDir, "demo.kubeconfig");
process.env.E2E_DATA_DIR = dataDir;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // Reuses the production build made by `npm run build`.
    command: `node_modules/.bin/tsx scripts/e2e-server.ts`,
    url: `http://127.0.0.1:${PORT}/login`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      ASK_CI_DATA_DIR: dataDir,
      ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      E2E_DATA_DIR: dataDir,
      // e2e/alerts.spec.ts waits for a budget alert: evaluate every 2 s rather than every minute.
      ASK_CI_ALERT_INTERVAL_SECONDS: "2",
    },
  },
});
