import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitlab, type FakeGitlab } from "@/tests/gitlab-fake";
import { useFreshDatabase } from "@/tests/test-db";

/**
 * The GitLab link writes job records (join, backfill), so only the replica elected as the single
 * job-record writer runs its passes; a standby stays silent towards GitLab and the database, and
 * starts syncing once elected.
 */

let gitlab: FakeGitlab;
let link: typeof import("@/lib/gitlab/link.server");
let election: typeof import("@/lib/leader/election");
let db: typeof import("@/lib/db.server").db;

const RUNNER = 11;
const runnerJobsRead = () => gitlab.requests.filter((r) => r.path === `/runners/${RUNNER}/jobs`).length;

beforeAll(async () => {
  useFreshDatabase();
  gitlab = await startFakeGitlab();
  gitlab.tokens.set("glpat-leader", { username: "root", scopes: ["read_api"] });
  gitlab.routes.set(`GET /runners/${RUNNER}/jobs`, () => ({ body: [] }));
  db = (await import("@/lib/db.server")).db;
  const { encryptJson } = await import("@/lib/crypto/encryption.server");
  link = await import("@/lib/gitlab/link.server");
  election = await import("@/lib/leader/election");
  const connection = await db.gitlabConnection.create({
    data: { name: "gl", url: gitlab.url, credentials: encryptJson({ token: "glpat-leader", webhookSecret: "w" }) },
  });
  await db.runnerProfile.create({
    data: { name: "r", gitlabConnectionId: connection.id, gitlabRunnerId: RUNNER, settings: "{}" },
  });
});

afterAll(() => gitlab.close());

describe("the GitLab link under the recorder's leader election", () => {
  it("syncs only while this replica is the elected writer", async () => {
    const leadership = new election.LocalElection({ onElected() {}, onDemoted() {} });
    const problems: string[] = [];
    const gitlabLink = new link.GitlabLink(
      (line) => problems.push(line),
      () => leadership.isLeader(),
    );

    await gitlabLink.tick();
    expect(runnerJobsRead()).toBe(0);
    expect((await db.gitlabConnection.findFirstOrThrow()).lastSyncAt).toBeNull();

    leadership.start();
    await gitlabLink.tick();
    expect(runnerJobsRead()).toBe(1);
    expect((await db.gitlabConnection.findFirstOrThrow()).lastSyncAt).not.toBeNull();

    await leadership.stop();
    gitlabLink.wake((await db.gitlabConnection.findFirstOrThrow()).id);
    await gitlabLink.tick();
    expect(runnerJobsRead()).toBe(1);
    expect(problems).toEqual([]);
  });

  it("runs a pass soon when woken, one per gap however many wakes", async () => {
    // A 2 s gap between woken passes instead of 15 s, to keep the test short.
    const gitlabLink = new link.GitlabLink(
      () => {},
      () => true,
      2_000,
    );
    const id = (await db.gitlabConnection.findFirstOrThrow()).id;
    const before = runnerJobsRead();
    // Regular ticks an hour apart: only the wakes can bring the passes below.
    gitlabLink.start(3_600_000);
    await eventually(() => runnerJobsRead() === before + 1);
    const started = Date.now();
    for (let i = 0; i < 5; i++) gitlabLink.wake(id);
    await eventually(() => runnerJobsRead() === before + 2);
    // Within the gap after the first pass, and not much later (not at the next poll, 15 s or more).
    expect(Date.now() - started).toBeLessThan(4_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(runnerJobsRead()).toBe(before + 2);
    gitlabLink.stop();
  });
});

async function eventually(ok: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
