import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_POSTGRES_URL_VARIABLE } from "@/tests/test-db";
import { AdvisoryLockElection, createLeaderElection, LocalElection, type LeaderElection } from "./election";

function recorderSpy() {
  const events: string[] = [];
  return {
    events,
    callbacks: {
      onElected: () => void events.push("elected"),
      onDemoted: async () => void events.push("demoted"),
    },
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

describe("LocalElection (SQLite: one replica)", () => {
  it("is the leader as soon as it starts and lets go on stop", async () => {
    const spy = recorderSpy();
    const election = createLeaderElection("file:/tmp/x.db", spy.callbacks);
    expect(election).toBeInstanceOf(LocalElection);
    election.start();
    expect(election.isLeader()).toBe(true);
    await election.stop();
    expect(election.isLeader()).toBe(false);
    expect(spy.events).toEqual(["elected", "demoted"]);
  });
});

const server = process.env[TEST_POSTGRES_URL_VARIABLE];

describe.runIf(server)("AdvisoryLockElection (PostgreSQL)", () => {
  const running: LeaderElection[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((election) => election.stop()));
  });

  function candidate(key: readonly [number, number]) {
    const spy = recorderSpy();
    const election = new AdvisoryLockElection(server!, spy.callbacks, {
      key,
      intervalMs: 100,
      heartbeatTimeoutMs: 1000,
    });
    running.push(election);
    election.start();
    return { election, events: spy.events };
  }

  it("elects exactly one of several replicas, and a standby takes over when the leader stops", async () => {
    const key = [0x41534b43, 1001] as const;
    const replicas = [candidate(key), candidate(key), candidate(key)];
    await until(() => replicas.some((r) => r.election.isLeader()), 5000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const leaders = replicas.filter((r) => r.election.isLeader());
    expect(leaders).toHaveLength(1);

    await leaders[0].election.stop();
    expect(leaders[0].events).toEqual(["elected", "demoted"]);
    const handOver = await until(() => replicas.some((r) => r !== leaders[0] && r.election.isLeader()), 5000);
    expect(handOver).toBeLessThan(1000);
    expect(replicas.filter((r) => r.election.isLeader())).toHaveLength(1);
  });

  it("steps down when its connection is killed, and the lock passes on", async () => {
    const key = [0x41534b43, 1002] as const;
    const first = candidate(key);
    await until(() => first.election.isLeader(), 5000);
    const second = candidate(key);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.election.isLeader()).toBe(false);

    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND granted`,
      [...key],
    );
    await admin.end();
    await until(() => !first.election.isLeader(), 5000);
    await until(() => second.election.isLeader(), 5000);
    expect(first.events).toEqual(["elected", "demoted"]);
  });
});
