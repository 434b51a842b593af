import { execFile, execFileSync } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoGitlab } from "../src/index";
import { startTestGitlab } from "./helpers";

/** Debian's python3-gitlab (scripts/test-all.sh installs it); the system Python, not a pyenv one. */
const PYTHON = "/usr/bin/python3";

function pythonGitlabInstalled(): boolean {
  try {
    execFileSync(PYTHON, ["-c", "import gitlab"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const run = promisify(execFile);
let gitlab: DemoGitlab;

describe.skipIf(!pythonGitlabInstalled())("an independent client: python-gitlab", () => {
  beforeAll(async () => {
    gitlab = await startTestGitlab();
  });
  afterAll(async () => {
    await gitlab.stop();
  });

  it("authenticates, pages, reads files, runs, cancels and retries a pipeline, creates a runner, reads errors", async () => {
    const script = path.join(import.meta.dirname, "clients", "python_gitlab_check.py");
    const { stdout } = await run(PYTHON, [script, gitlab.url, gitlab.info.adminToken], { timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual({
      user: "root",
      version: "18.6.1",
      projects: ["eci/java-demo", "acme/backend/payments-api", "acme/web/storefront", "acme/platform/infra"],
      ci_has_package_job: true,
      pipeline_status: "pending",
      jobs: ["mvn_package_job", "build_and_publish_docker_image_job", "deploy_k8s_job"],
      after_cancel: "canceled",
      after_retry: "pending",
      runner_token_prefix: "glrt-",
      runner_status: "never_contacted",
      missing: [404, "404 Project Not Found"],
    });
  });
});
