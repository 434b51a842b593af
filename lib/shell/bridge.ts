/**
 * The browser side of a shell session: what the browser may send (keystrokes, terminal size), what
 * it gets back (output, then one "exit" saying why the session ended), and the session's idle and
 * total time limits. Pure: the sockets, the exec stream and the clock are passed in, so it is
 * tested without a server (lib/shell/bridge.test.ts).
 */

export interface ShellLimits {
  /** Ends the session after this long without a keystroke. */
  idleMs: number;
  /** Ends the session this long after it opened, whatever is happening. */
  maxMs: number;
}

export type EndReason = "exited" | "closed" | "idle" | "time-limit" | "error";

export type ShellServerMessage =
  { type: "output"; data: string } | { type: "exit"; reason: EndReason; code?: number; message?: string };

export type ShellClientMessage = { type: "input"; data: string } | { type: "resize"; cols: number; rows: number };

/** The browser's WebSocket, as the bridge needs it. */
export interface ShellBrowser {
  send(message: ShellServerMessage): void;
  close(): void;
  onMessage(listener: (text: string) => void): void;
  onClose(listener: () => void): void;
}

/** The pod's exec stream, once open. */
export interface ExecStream {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

export interface ExecHandlers {
  output(data: string): void;
  /** The process ended: its exit code when the API server reported one, else why not. */
  ended(result: { code?: number; message?: string }): void;
}

export interface SessionSummary {
  reason: EndReason;
  code?: number;
  message?: string;
  durationMs: number;
}

export interface Timer {
  now(): number;
  setTimeout(callback: () => void, ms: number): () => void;
}

const MAX_INPUT = 64 * 1024;
const MAX_SIZE = 1000;

/** A client message, or undefined for anything else (ignored, never an error). */
export function parseClientMessage(text: string): ShellClientMessage | undefined {
  if (text.length > MAX_INPUT + 100) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const message = value as Record<string, unknown>;
  if (message.type === "input" && typeof message.data === "string" && message.data.length <= MAX_INPUT)
    return { type: "input", data: message.data };
  const size = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= MAX_SIZE;
  if (message.type === "resize" && size(message.cols) && size(message.rows))
    return { type: "resize", cols: message.cols as number, rows: message.rows as number };
  return undefined;
}

export function bridgeShell(options: {
  browser: ShellBrowser;
  limits: ShellLimits;
  timer: Timer;
  open: (handlers: ExecHandlers) => Promise<ExecStream>;
  onEnd: (summary: SessionSummary) => void;
}): void {
  const { browser, limits, timer } = options;
  const started = timer.now();
  let exec: ExecStream | undefined;
  let ended = false;
  let cancelIdle = () => {};
  const pendingInput: ShellClientMessage[] = [];

  const end = (reason: EndReason, details: { code?: number; message?: string } = {}) => {
    if (ended) return;
    ended = true;
    cancelIdle();
    cancelTotal();
    exec?.close();
    if (reason !== "closed") {
      browser.send({ type: "exit", reason, ...details });
      browser.close();
    }
    options.onEnd({ reason, ...details, durationMs: timer.now() - started });
  };
  const armIdle = () => {
    cancelIdle();
    cancelIdle = timer.setTimeout(() => end("idle"), limits.idleMs);
  };
  const cancelTotal = timer.setTimeout(() => end("time-limit"), limits.maxMs);
  armIdle();

  const deliver = (message: ShellClientMessage) => {
    if (message.type === "input") {
      armIdle();
      exec!.write(message.data);
    } else exec!.resize(message.cols, message.rows);
  };
  browser.onMessage((text) => {
    const message = parseClientMessage(text);
    if (!message || ended) return;
    if (exec) deliver(message);
    else pendingInput.push(message);
  });
  browser.onClose(() => end("closed"));

  options
    .open({
      output: (data) => !ended && browser.send({ type: "output", data }),
      ended: ({ code, message }) => end(code === undefined ? "error" : "exited", { code, message }),
    })
    .then((stream) => {
      if (ended) {
        stream.close();
        return;
      }
      exec = stream;
      for (const message of pendingInput.splice(0)) deliver(message);
    })
    .catch((error: unknown) => end("error", { message: error instanceof Error ? error.message : String(error) }));
}
