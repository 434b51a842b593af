import { crc32 } from "node:zlib";
import type { JobResult, JobSignals, JobTrace } from "./gitlab-client";

/**
 * A job's log and state on their way to GitLab, as gitlab-runner's network client sends them
 * (gitlab-runner v19.3.0 `network/trace.go` clientJobTrace, `network/gitlab.go` PatchTrace /
 * UpdateJob; docs/runner-lifecycle.md, "Cancel and the job log"):
 *
 * - every update interval (3 s at first, then what GitLab says in `X-GitLab-Trace-Update-Interval`)
 *   the bytes not yet sent go out as `PATCH /jobs/:id/trace` with `Content-Range: <start>-<end>`;
 *   202 moves the offset on, 416 restarts from the end GitLab names in `Range: 0-<size>`;
 * - when nothing was sent for 30 s, `PUT /jobs/:id` `state: running` tells GitLab the job lives;
 * - `Job-Status: canceling` on either answer asks for a graceful cancel; `canceled`/`failed` or a
 *   403 aborts the job;
 * - at the end, the rest of the log, then the final `PUT` (success, or failed with its reason),
 *   repeated while GitLab answers 202 (accepted, not yet completed).
 */

/** common.DefaultUpdateInterval (common/consts.go:52). */
export const DEFAULT_UPDATE_INTERVAL_MS = 3_000;
/** common.MaxUpdateInterval (consts.go:53): a longer interval from the server is cut to this. */
const MAX_UPDATE_INTERVAL_MS = 15 * 60_000;
/** common.MinTraceForceSendInterval (consts.go:55): FF_USE_DYNAMIC_TRACE_FORCE_SEND_INTERVAL is off by default. */
export const FORCE_SEND_INTERVAL_MS = 30_000;
/** common.DefaultTracePatchLimit (consts.go:50): at most this much log per PATCH. */
const PATCH_LIMIT_BYTES = 1024 * 1024;
/** Final update attempts (GetJobStatusFinalUpdateRetryLimit's default) before giving up. */
const FINAL_UPDATE_ATTEMPTS = 10;

/** What one answer of GitLab says about the job (network/remote_job_state_response.go). */
export interface RemoteJobState {
  status: number;
  /** Job-Status header. */
  jobStatus: string | null;
  /** X-GitLab-Trace-Update-Interval in milliseconds, when GitLab sent one. */
  updateIntervalMs: number | null;
  /** Range header of a trace answer. */
  range: string | null;
}

/** IsFailed: the job is over on GitLab's side (canceled, failed) or the runner may not touch it (403). */
export function isAbort(state: RemoteJobState): boolean {
  return state.jobStatus === "canceled" || state.jobStatus === "failed" || state.status === 403;
}

/** IsCanceled: a graceful cancel was asked for (GitLab sends it to runners announcing cancel_gracefully). */
export function isCancelRequested(state: RemoteJobState): boolean {
  return state.jobStatus === "canceling";
}

/** TracePatchResponse.NewOffset: the end of `Range: 0-<size>`, 0 when unreadable. */
export function offsetFromRange(range: string | null): number {
  const parts = (range ?? "").split("-");
  if (parts.length !== 2) return 0;
  const offset = Number.parseInt(parts[1], 10);
  return Number.isSafeInteger(offset) ? offset : 0;
}

export type PatchOutcome = "sent" | "abort" | "rangeMismatch" | "notFound" | "failed";

/** createPatchTraceResult (network/gitlab.go): the order of the checks matters, a failed job wins over 202. */
export function patchOutcome(state: RemoteJobState): PatchOutcome {
  if (isAbort(state)) return "abort";
  if (state.status === 202) return "sent";
  if (state.status === 404) return "notFound";
  if (state.status === 416) return "rangeMismatch";
  return "failed";
}

export type UpdateOutcome = "done" | "abort" | "notYet" | "traceInvalid" | "failed";

/** createUpdateJobResult (network/gitlab.go). */
export function updateOutcome(state: RemoteJobState): UpdateOutcome {
  if (isAbort(state)) return "abort";
  if (state.status === 200) return "done";
  if (state.status === 202) return "notYet";
  if (state.status === 412) return "traceInvalid";
  if (state.status === 404) return "abort";
  return "failed";
}

export interface TraceTransport {
  patch(start: number, bytes: Buffer): Promise<RemoteJobState>;
  update(body: Record<string, unknown>): Promise<RemoteJobState>;
}

export class HttpJobTrace implements JobTrace {
  private buffer = Buffer.alloc(0);
  private sentOffset = 0;
  private sentAt = Date.now();
  private updateIntervalMs = DEFAULT_UPDATE_INTERVAL_MS;
  private timer?: ReturnType<typeof setTimeout>;
  private state: "running" | "finishing" | "stopped" = "running";
  private sending?: Promise<void>;
  /** GitLab said the job is over: no more incremental updates (watch() waits for the end). */
  private aborted = false;

  constructor(
    private readonly transport: TraceTransport,
    private readonly signals: JobSignals,
    private readonly onError: (error: unknown) => void,
    /** Called once when nothing more will be sent. */
    private readonly onClosed: () => void = () => {},
  ) {
    this.schedule();
  }

  write(text: string): void {
    if (this.state !== "running") return;
    this.buffer = Buffer.concat([this.buffer, Buffer.from(text)]);
  }

  finish(result: JobResult, done?: () => void): void {
    if (this.state !== "running") return done?.();
    this.state = "finishing";
    this.clearTimer();
    void (this.sending ?? Promise.resolve())
      .then(() => this.finalUpdate(result))
      .catch(this.onError)
      .finally(() => {
        this.stop();
        done?.();
      });
  }

  stop(): void {
    if (this.state === "stopped") return;
    this.state = "stopped";
    this.clearTimer();
    this.onClosed();
  }

  private schedule(): void {
    if (this.state !== "running" || this.aborted) return;
    this.timer = setTimeout(() => {
      this.sending = this.incrementalUpdate()
        .catch(this.onError)
        .finally(() => {
          this.sending = undefined;
          this.schedule();
        });
    }, this.updateIntervalMs);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** incrementalUpdate: the log so far; then, when nothing went out for a while, a touch. */
  private async incrementalUpdate(): Promise<void> {
    const patch = await this.sendPatch();
    if (this.state !== "running") return;
    if (patch && isCancelRequested(patch.state)) this.signal("cancel");
    const outcome = patch?.outcome ?? "sent";
    if (outcome === "abort") return this.abort();
    if (outcome !== "sent") return;
    const touched = await this.touch();
    if (this.state !== "running" || !touched) return;
    if (isCancelRequested(touched)) this.signal("cancel");
    if (updateOutcome(touched) === "abort") this.abort();
  }

  private abort(): void {
    // Job-Status canceled or failed: the build is stopped; its final update will be refused too.
    this.aborted = true;
    this.clearTimer();
    this.signal("abort");
  }

  /** sendPatch: the unsent bytes, at most PATCH_LIMIT_BYTES; undefined when there is nothing to send. */
  private async sendPatch(): Promise<{ outcome: PatchOutcome; state: RemoteJobState } | undefined> {
    const start = this.sentOffset;
    const bytes = this.buffer.subarray(start, start + PATCH_LIMIT_BYTES);
    if (bytes.length === 0) return undefined;
    const state = await this.transport.patch(start, bytes);
    this.setUpdateInterval(state.updateIntervalMs);
    const outcome = patchOutcome(state);
    if (outcome === "sent") {
      this.sentOffset = start + bytes.length;
      this.sentAt = Date.now();
    } else if (outcome === "rangeMismatch") {
      this.sentOffset = Math.min(offsetFromRange(state.range), this.buffer.length);
      this.sentAt = Date.now();
    }
    return { outcome, state };
  }

  /** touchJob: `state: running` once nothing was sent for FORCE_SEND_INTERVAL_MS. */
  private async touch(): Promise<RemoteJobState | undefined> {
    if (Date.now() - this.sentAt <= FORCE_SEND_INTERVAL_MS) return undefined;
    const state = await this.transport.update({ state: "running", output: this.output() });
    this.setUpdateInterval(state.updateIntervalMs);
    if (updateOutcome(state) === "done") this.sentAt = Date.now();
    return state;
  }

  /**
   * finalUpdate, retried as finishWithFinalUpdate retries it: all of the log first (an update may
   * rewind it), then the state, until GitLab takes it or says the job is no longer the runner's.
   */
  private async finalUpdate(result: JobResult): Promise<void> {
    this.updateIntervalMs = DEFAULT_UPDATE_INTERVAL_MS;
    attempts: for (let attempt = 0; attempt < FINAL_UPDATE_ATTEMPTS; attempt++) {
      while (this.sentOffset < this.buffer.length) {
        if (this.state === "stopped") return;
        const patch = await this.sendPatch();
        if (!patch || patch.outcome === "abort" || patch.outcome === "notFound") break;
        if (patch.outcome === "rangeMismatch" || patch.outcome === "failed") {
          await pause(this.updateIntervalMs);
          if (patch.outcome === "failed") continue attempts;
        }
      }
      if (this.state === "stopped") return;
      const state = await this.transport.update({
        state: result.state,
        ...(result.failureReason ? { failure_reason: result.failureReason } : {}),
        ...(result.exitCode !== undefined ? { exit_code: result.exitCode } : {}),
        output: this.output(),
      });
      this.setUpdateInterval(state.updateIntervalMs);
      const outcome = updateOutcome(state);
      if (outcome === "done" || outcome === "abort") return;
      // UpdateTraceValidationFailed: GitLab's log differs from ours; send all of it again.
      if (outcome === "traceInvalid") this.sentOffset = 0;
      await pause(this.updateIntervalMs);
    }
  }

  private output(): { checksum: string; bytesize: number } {
    return { checksum: `crc32:${crc32(this.buffer).toString(16).padStart(8, "0")}`, bytesize: this.buffer.length };
  }

  private setUpdateInterval(ms: number | null): void {
    if (ms !== null && ms > 0) this.updateIntervalMs = Math.min(ms, MAX_UPDATE_INTERVAL_MS);
  }

  private signal(which: keyof JobSignals): void {
    try {
      this.signals[which]();
    } catch (error) {
      this.onError(error);
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref?.();
  });
}
