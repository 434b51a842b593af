import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DEFAULT_UPDATE_INTERVAL_MS,
  FORCE_SEND_INTERVAL_MS,
  HttpJobTrace,
  offsetFromRange,
  patchOutcome,
  updateOutcome,
  type RemoteJobState,
  type TraceTransport,
} from "./http-trace";

const answer = (
  status: number,
  jobStatus: string | null = "running",
  extra: Partial<RemoteJobState> = {},
): RemoteJobState => ({
  status,
  jobStatus,
  updateIntervalMs: null,
  range: null,
  ...extra,
});

describe("GitLab's answers as gitlab-runner reads them (network/gitlab.go)", () => {
  it.each([
    [answer(202), "sent"],
    [answer(202, "canceling"), "sent"],
    [answer(202, "canceled"), "abort"],
    [answer(202, "failed"), "abort"],
    [answer(403, null), "abort"],
    [answer(416, "running", { range: "0-10" }), "rangeMismatch"],
    [answer(404, null), "notFound"],
    [answer(500, null), "failed"],
    [answer(0, null), "failed"],
  ] as const)("trace patch %j: %s", (state, outcome) => {
    expect(patchOutcome(state)).toBe(outcome);
  });

  it.each([
    [answer(200), "done"],
    [answer(200, "canceling"), "done"],
    [answer(200, "canceled"), "abort"],
    [answer(403, "success"), "abort"],
    [answer(202), "notYet"],
    [answer(412), "traceInvalid"],
    [answer(404, null), "abort"],
    [answer(502, null), "failed"],
  ] as const)("job update %j: %s", (state, outcome) => {
    expect(updateOutcome(state)).toBe(outcome);
  });

  it.each([
    ["0-42", 42],
    ["0-0", 0],
    ["", 0],
    [null, 0],
    ["bytes", 0],
  ])("Range %j resumes at %d", (range, offset) => {
    expect(offsetFromRange(range)).toBe(offset);
  });
});

type Call = { kind: "patch"; start: number; text: string } | { kind: "update"; body: Record<string, unknown> };

interface FakeGitlab {
  calls: Call[];
  jobStatus: string;
  interval: number | null;
  /** Scripted answers, used before the default behaviour. */
  next: RemoteJobState[];
  log(): string;
  transport: TraceTransport;
}

/** A GitLab that keeps the log as the demo GitLab does and answers with a scripted job status. */
function fakeGitlab(): FakeGitlab {
  let log = Buffer.alloc(0);
  const gitlab: FakeGitlab = {
    calls: [],
    jobStatus: "running",
    interval: null,
    next: [],
    log: () => log.toString(),
    transport: {
      patch: async (start: number, bytes: Buffer): Promise<RemoteJobState> => {
        gitlab.calls.push({ kind: "patch", start, text: bytes.toString() });
        const scripted = gitlab.next.shift();
        if (scripted) return scripted;
        if (start > log.length) return answer(416, gitlab.jobStatus, { range: `0-${log.length}` });
        log = Buffer.concat([log.subarray(0, start), bytes]);
        return answer(202, gitlab.jobStatus, { range: `0-${log.length}`, updateIntervalMs: gitlab.interval });
      },
      update: async (body: Record<string, unknown>): Promise<RemoteJobState> => {
        gitlab.calls.push({ kind: "update", body });
        return gitlab.next.shift() ?? answer(200, gitlab.jobStatus, { updateIntervalMs: gitlab.interval });
      },
    },
  };
  return gitlab;
}

describe("HttpJobTrace (network/trace.go clientJobTrace)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const signals = () => ({ cancel: vi.fn(), abort: vi.fn() });

  it("sends the log in increments with Content-Range offsets every update interval, then the result", async () => {
    const gitlab = fakeGitlab();
    const trace = new HttpJobTrace(gitlab.transport, signals(), (e) => {
      throw e;
    });
    trace.write("Running on pod-1\n");
    await vi.advanceTimersByTimeAsync(DEFAULT_UPDATE_INTERVAL_MS);
    trace.write("$ mvn package\n");
    await vi.advanceTimersByTimeAsync(DEFAULT_UPDATE_INTERVAL_MS);
    expect(gitlab.calls).toEqual([
      { kind: "patch", start: 0, text: "Running on pod-1\n" },
      { kind: "patch", start: 17, text: "$ mvn package\n" },
    ]);
    trace.write("Job succeeded\n");
    trace.finish({ state: "success" });
    await vi.advanceTimersByTimeAsync(0);
    expect(gitlab.calls.slice(2)).toEqual([
      { kind: "patch", start: 31, text: "Job succeeded\n" },
      {
        kind: "update",
        body: { state: "success", output: { checksum: expect.stringMatching(/^crc32:[0-9a-f]{8}$/), bytesize: 45 } },
      },
    ]);
    expect(gitlab.log()).toBe("Running on pod-1\n$ mvn package\nJob succeeded\n");
  });

  it("follows the server's update interval (X-GitLab-Trace-Update-Interval)", async () => {
    const gitlab = fakeGitlab();
    gitlab.interval = 60_000;
    const trace = new HttpJobTrace(gitlab.transport, signals(), () => {});
    trace.write("a\n");
    await vi.advanceTimersByTimeAsync(DEFAULT_UPDATE_INTERVAL_MS);
    trace.write("b\n");
    await vi.advanceTimersByTimeAsync(59_000);
    expect(gitlab.calls.filter((c) => c.kind === "patch")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(gitlab.calls.filter((c) => c.kind === "patch")).toHaveLength(2);
    trace.stop();
  });

  it("resends from the size GitLab names after a 416", async () => {
    const gitlab = fakeGitlab();
    const trace = new HttpJobTrace(gitlab.transport, signals(), () => {});
    trace.write("first\n");
    gitlab.next.push(answer(416, "running", { range: "0-0" }));
    await vi.advanceTimersByTimeAsync(DEFAULT_UPDATE_INTERVAL_MS);
    await vi.advanceTimersByTimeAsync(DEFAULT_UPDATE_INTERVAL_MS);
    expect(gitlab.calls.map((c) => c.kind === "patch" && c.start)).toEqual([0, 0]);
    expect(gitlab.log()).toBe("first\n");
    trace.stop();
  });

  it("touches the job (PUT state running) when nothing was sent for 30 s, and learns of a cancel from it", async () => {
    const gitlab = fakeGitlab();
    const wanted = signals();
    const trace = new HttpJobTrace(gitlab.transport, wanted, () => {});
    trace.write("quiet job\n");
    await vi.advanceTimersByTimeAsync(DEFAULT_UPDATE_INTERVAL_MS);
    trace.write(".");
    await vi.advanceTimersByTimeAsync(FORCE_SEND_INTERVAL_MS);
    expect(gitlab.calls.some((c) => c.kind === "update")).toBe(false);
    gitlab.jobStatus = "canceling";
    await vi.advanceTimersByTimeAsync(FORCE_SEND_INTERVAL_MS);
    const touch = gitlab.calls.find((c) => c.kind === "update");
    expect(touch).toMatchObject({ kind: "update", body: { state: "running" } });
    expect(wanted.cancel).toHaveBeenCalled();
    expect(wanted.abort).not.toHaveBeenCalled();
    trace.stop();
  });

  it("a patch answered Job-Status canceling asks for a graceful cancel; canceled aborts and stops the updates", async () => {
    const gitlab = fakeGitlab();
    const wanted = signals();
    const trace = new HttpJobTrace(gitlab.transport, wanted, () => {});
    trace.write("line\n");
    gitlab.jobStatus = "canceling";
    await vi.advanceTimersByTimeAsync(DEFAULT_UPDATE_INTERVAL_MS);
    expect(wanted.cancel).toHaveBeenCalledTimes(1);
    gitlab.jobStatus = "canceled";
    trace.write("more\n");
    await vi.advanceTimersByTimeAsync(DEFAULT_UPDATE_INTERVAL_MS);
    expect(wanted.abort).toHaveBeenCalledTimes(1);
    const calls = gitlab.calls.length;
    await vi.advanceTimersByTimeAsync(10 * DEFAULT_UPDATE_INTERVAL_MS);
    expect(gitlab.calls.length).toBe(calls);
    trace.stop();
  });

  it("the final update is repeated while GitLab answers 202, and carries the failure reason and exit code", async () => {
    const gitlab = fakeGitlab();
    const trace = new HttpJobTrace(gitlab.transport, signals(), () => {});
    gitlab.next.push(answer(202), answer(202));
    trace.finish({ state: "failed", failureReason: "script_failure", exitCode: 2 });
    await vi.advanceTimersByTimeAsync(3 * DEFAULT_UPDATE_INTERVAL_MS);
    const updates = gitlab.calls.filter((c) => c.kind === "update");
    expect(updates).toHaveLength(3);
    expect(updates[2]).toMatchObject({ body: { state: "failed", failure_reason: "script_failure", exit_code: 2 } });
  });

  it("says the job is over only once GitLab accepted the final update (the build, and its slot, end then)", async () => {
    const gitlab = fakeGitlab();
    const trace = new HttpJobTrace(gitlab.transport, signals(), () => {});
    gitlab.next.push(answer(202));
    const done = vi.fn();
    trace.finish({ state: "success" }, done);
    await vi.advanceTimersByTimeAsync(0);
    expect(gitlab.calls.filter((c) => c.kind === "update")).toHaveLength(1);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(3 * DEFAULT_UPDATE_INTERVAL_MS);
    expect(gitlab.calls.filter((c) => c.kind === "update")).toHaveLength(2);
    expect(done).toHaveBeenCalledTimes(1);
  });

  it("a runner that dies sends nothing more", async () => {
    const gitlab = fakeGitlab();
    const trace = new HttpJobTrace(gitlab.transport, signals(), () => {});
    trace.write("line\n");
    trace.stop();
    trace.finish({ state: "success" });
    await vi.advanceTimersByTimeAsync(10 * DEFAULT_UPDATE_INTERVAL_MS);
    expect(gitlab.calls).toEqual([]);
  });
});
