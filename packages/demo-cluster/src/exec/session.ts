/**
 * One exec'd process in a simulated container: a command run once (`kubectl exec pod -- ls`), or an
 * interactive shell reading stdin line by line, with a terminal's line discipline when a TTY was asked
 * for (echo, backspace, Ctrl-C, Ctrl-D, LF → CRLF). Independent of the transport: the WebSocket
 * handler feeds it client messages and writes what it emits.
 */
import type { ContainerView } from "./container-view";
import { exitCodeStatus, successStatus, type ExecStatus } from "./protocol";
import { isShell, SimulatedShell, type ShellOutput } from "./shell";

export interface ExecOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Once, when the process ends: the Status for the error channel. */
  end(status: ExecStatus): void;
}

export interface ExecOptions {
  tty: boolean;
  stdin: boolean;
  now: () => number;
}

export interface ExecSession {
  input(data: Buffer): void;
  /** The client finished sending stdin (v5 CLOSE, or the end of a non-interactive stream). */
  closeStdin(): void;
  resize(width: number, height: number): void;
  /** The container stopped under the process (pod deleted, container ended): SIGKILL's 137. */
  kill(): void;
  readonly ended: boolean;
}

const KILLED = 137;

export function startExec(
  view: ContainerView,
  command: string[],
  options: ExecOptions,
  output: ExecOutput,
): ExecSession {
  const shell = new SimulatedShell(view, options.now, command.join(" "));
  let ended = false;
  const finish = (status: ExecStatus) => {
    if (ended) return;
    ended = true;
    output.end(status);
  };
  const statusFor = (code: number) => (code === 0 ? successStatus() : exitCodeStatus(code, command));
  // A terminal merges stderr into its one output stream and turns LF into CRLF (onlcr).
  const io: ShellOutput = options.tty
    ? {
        out: (text) => output.stdout(text.replace(/\r?\n/g, "\r\n")),
        err: (text) => output.stdout(text.replace(/\r?\n/g, "\r\n")),
      }
    : { out: (text) => output.stdout(text), err: (text) => output.stderr(text) };

  const session: ExecSession = {
    input: () => undefined,
    closeStdin: () => undefined,
    resize(width, height) {
      shell.columns = width;
      shell.rows = height;
    },
    kill: () => finish(exitCodeStatus(KILLED, command)),
    get ended() {
      return ended;
    },
  };

  const interactive = isShell(command[0]) && !command.includes("-c");
  if (!interactive) {
    if (!shell.hasProgram(command[0])) {
      // runc's message, and the 126 the kubelet reports for a command that could not start.
      queueMicrotask(() => {
        io.out(
          `OCI runtime exec failed: exec failed: unable to start container process: ` +
            `exec: "${command[0]}": executable file not found in $PATH: unknown\n`,
        );
        finish(exitCodeStatus(126, command));
      });
      return session;
    }
    // The output and the status go out after the caller has wired the session up.
    queueMicrotask(() => finish(statusFor(shell.runArgv(command, io))));
    return session;
  }
  if (!options.stdin) {
    queueMicrotask(() => finish(successStatus()));
    return session;
  }

  let line = "";
  let escape = false;
  const afterCommand = () => {
    if (shell.exitCode !== undefined) finish(statusFor(shell.exitCode));
    else if (options.tty) output.stdout(shell.prompt);
  };
  const typed = (text: string) => {
    for (const char of text) {
      if (ended) return;
      if (escape) {
        // Arrow keys and the like (ESC [ … final byte): no history or cursor movement here.
        if (/[A-Za-z~]/.test(char)) escape = false;
        continue;
      }
      if (char === "\x1b") escape = true;
      else if (char === "\r" || char === "\n") {
        output.stdout("\r\n");
        const command = line;
        line = "";
        shell.runLine(command, io);
        afterCommand();
      } else if (char === "\x7f" || char === "\b") {
        if (line) {
          line = line.slice(0, -1);
          output.stdout("\b \b");
        }
      } else if (char === "\x03") {
        line = "";
        output.stdout(`^C\r\n${shell.prompt}`);
      } else if (char === "\x04") {
        if (!line) {
          output.stdout("\r\n");
          finish(statusFor(shell.status));
        }
      } else if (char === "\x15") {
        output.stdout("\b \b".repeat(line.length));
        line = "";
      } else if (char >= " ") {
        line += char;
        output.stdout(char);
      }
    }
  };
  const piped = (text: string) => {
    line += text;
    let newline = line.indexOf("\n");
    while (newline >= 0 && !ended) {
      const command = line.slice(0, newline);
      line = line.slice(newline + 1);
      shell.runLine(command, io);
      afterCommand();
      newline = line.indexOf("\n");
    }
  };
  session.input = (data) => {
    if (!ended) (options.tty ? typed : piped)(data.toString("utf8"));
  };
  session.closeStdin = () => {
    if (ended) return;
    if (!options.tty && line.trim()) {
      shell.runLine(line, io);
      line = "";
      if (shell.exitCode !== undefined) return finish(statusFor(shell.exitCode));
    }
    finish(statusFor(shell.status));
  };
  if (options.tty) queueMicrotask(() => !ended && output.stdout(shell.prompt));
  return session;
}
