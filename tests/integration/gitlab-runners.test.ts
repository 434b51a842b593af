import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoGitlab } from "@ask-ci/demo-gitlab";
import { addDemoGitlabConnection, startQuietDemoGitlab } from "@/tests/demo-gitlab";
import type { RunnerCreation } from "@/lib/gitlab/client.server";
import { expectOk } from "@/tests/expect-ok";
import { useFreshDatabase } from "@/tests/test-db";

/**
 * The wizard's runners in GitLab, against the demo GitLab: created by API with the token stored
 * encrypted in the profile (never returned), verified, its status read, the token rotated, deleted.
 */

let gitlab: DemoGitlab;
let db: typeof import("@/lib/db.server").db;
let runners: typeof import("@/lib/gitlab/runners.server");
let decryptJson: typeof import("@/lib/crypto/encryption.server").decryptJson;
let gitlabConnectionId: string;
let profiles = 0;

beforeAll(async () => {
  useFreshDatabase();
  gitlab = await startQuietDemoGitlab();
  db = (await import("@/lib/db.server")).db;
  decryptJson = (await import("@/lib/crypto/encryption.server")).decryptJson;
  runners = await import("@/lib/gitlab/runners.server");
  gitlabConnectionId = await addDemoGitlabConnection(gitlab);
});

afterAll(async () => {
  await gitlab?.stop();
});

/** A profile of its own for each test, so no test depends on what another did to its runner. */
async function newProfile(): Promise<string> {
  const profile = await db.runnerProfile.create({
    data: { name: `java-${++profiles}`, settings: JSON.stringify({ gitlab: { runnerName: "ask-ci" } }) },
  });
  return profile.id;
}

const RUNNER: RunnerCreation = {
  runnerType: "project_type",
  projectId: 1,
  description: "ask-ci java",
  tagList: ["ask"],
  runUntagged: true,
  locked: true,
  paused: false,
  maximumTimeout: 3600,
};

/** A new profile with its runner created in GitLab. */
async function profileWithRunner(): Promise<string> {
  const profileId = await newProfile();
  expectOk(await runners.createRunnerForProfile(profileId, gitlabConnectionId, RUNNER));
  return profileId;
}

const storedToken = async (profileId: string) => {
  const row = await db.runnerProfile.findUniqueOrThrow({ where: { id: profileId } });
  return row.secrets ? decryptJson<{ runnerToken?: string }>(row.secrets).runnerToken : undefined;
};

describe("runners in GitLab for the wizard", () => {
  it("creates the runner and writes its token into the profile's secrets, not the answer", async () => {
    const profileId = await newProfile();
    const result = await runners.createRunnerForProfile(profileId, gitlabConnectionId, RUNNER);
    const created = expectOk(result);
    expect(JSON.stringify(result)).not.toMatch(/glrt-/);
    const token = await storedToken(profileId);
    expect(token).toMatch(/^glrt-/);
    const row = await db.runnerProfile.findUniqueOrThrow({ where: { id: profileId } });
    expect(row).toMatchObject({ gitlabConnectionId, gitlabRunnerId: created.runnerId });
    expect(JSON.parse(row.settings)).toEqual({ gitlab: { runnerName: "ask-ci", url: `${gitlab.url}/` } });
    expect(row.settings).not.toContain("glrt-");
  });

  it("verifies the stored token against GitLab, and refuses a wrong one", async () => {
    const profileId = await profileWithRunner();
    const token = (await storedToken(profileId))!;
    const verified = await runners.verifyProfileRunnerToken(profileId, { url: `${gitlab.url}/`, runnerToken: token });
    expect(verified).toMatchObject({ ok: true });
    const wrong = await runners.verifyProfileRunnerToken(profileId, {
      url: `${gitlab.url}/`,
      runnerToken: "glrt-notarealtoken0000000",
    });
    expect(wrong).toMatchObject({ ok: false, problem: { code: "forbidden" } });
  });

  it("reads the runner's GitLab status: online, last contact, the version its manager reported, paused", async () => {
    const profileId = await profileWithRunner();
    const before = await runners.runnerStatusForProfile(profileId);
    expect(before).toMatchObject({ ok: true, value: { paused: false, description: "ask-ci java" } });
    // The runner checks in as gitlab-runner does (POST /runners/verify with its system id and version).
    await fetch(`${gitlab.url}/api/v4/runners/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        token: await storedToken(profileId),
        system_id: "s_0123456789ab",
        info: { version: "17.11.0" },
      }),
    });
    const after = await runners.runnerStatusForProfile(profileId);
    expect(after).toMatchObject({
      ok: true,
      value: { online: true, version: "17.11.0", contactedAt: expect.any(String) },
    });
  });

  it("rotates the token: the new one is stored, the old one refused", async () => {
    const profileId = await profileWithRunner();
    const old = (await storedToken(profileId))!;
    expect(await runners.rotateRunnerToken(profileId)).toMatchObject({ ok: true });
    const fresh = (await storedToken(profileId))!;
    expect(fresh).not.toBe(old);
    expect(await runners.verifyProfileRunnerToken(profileId, { url: gitlab.url, runnerToken: old })).toMatchObject({
      ok: false,
    });
    expect(await runners.verifyProfileRunnerToken(profileId, { url: gitlab.url, runnerToken: fresh })).toMatchObject({
      ok: true,
    });
  });

  it("deletes the runner in GitLab on uninstall, and a second delete is harmless", async () => {
    const profileId = await profileWithRunner();
    expect((await db.runnerProfile.findUniqueOrThrow({ where: { id: profileId } })).gitlabRunnerId).not.toBeNull();
    expect(await runners.deleteRunnerInGitlab(profileId)).toMatchObject({ ok: true });
    expect((await db.runnerProfile.findUniqueOrThrow({ where: { id: profileId } })).gitlabRunnerId).toBeNull();
    expect(await runners.deleteRunnerInGitlab(profileId)).toMatchObject({ ok: false, problem: { code: "notFound" } });
  });
});
