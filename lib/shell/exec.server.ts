import "server-only";
import { PassThrough, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { Exec, type KubeConfig, type V1Status } from "@kubernetes/client-node";
import type { ExecHandlers, ExecStream } from "./bridge";

/** The shell every job image has: GitLab Runner's Kubernetes executor needs one in each container. */
export const SHELL_COMMAND = ["/bin/sh"];

/** What client-node treats as a terminal to keep sized: a writable with columns, rows and a resize event. */
class TerminalOutput extends Writable {
  private readonly decoder = new StringDecoder("utf8");
  constructor(
    public columns: number,
    public rows: number,
    private readonly onText: (text: string) => void,
  ) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    const text = this.decoder.write(chunk);
    if (text) this.onText(text);
    done();
  }
}

/** The exit code in an exec Status: 0 for Success, the ExitCode cause for NonZeroExitCode. */
export function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === "Success") return 0;
  const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : undefined;
}

/**
 * Opens `pods/exec` with a terminal (the connection's credentials stay on the server) and adapts it
 * to the bridge: keystrokes to stdin, output as text, resizes through client-node's size queue.
 */
export async function openPodShell(
  config: KubeConfig,
  target: { namespace: string; pod: string; container: string; cols: number; rows: number },
  handlers: ExecHandlers,
): Promise<ExecStream> {
  const stdin = new PassThrough();
  const stdout = new TerminalOutput(target.cols, target.rows, handlers.output);
  let statusSeen = false;
  const socket = await new Exec(config).exec(
    target.namespace,
    target.pod,
    target.container,
    SHELL_COMMAND,
    stdout,
    null,
    stdin,
    true,
    (status: V1Status) => {
      statusSeen = true;
      const code = exitCodeOf(status);
      handlers.ended(code === undefined ? { message: status.message ?? "The shell ended" } : { code });
    },
  );
  socket.on("close", () => {
    if (!statusSeen) handlers.ended({ message: "The cluster closed the connection" });
  });
  // client-node queues the terminal's first size for the next tick; keystrokes written before it
  // would reach the shell while it still thinks it is 80x24.
  await new Promise((resolve) => setImmediate(resolve));
  return {
    write: (data) => stdin.write(data),
    resize(cols, rows) {
      stdout.columns = cols;
      stdout.rows = rows;
      stdout.emit("resize");
    },
    close() {
      stdin.end();
      socket.close();
    },
  };
}
