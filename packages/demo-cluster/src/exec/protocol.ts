/**
 * The remote command WebSocket protocol kube-apiserver speaks for pods/exec and pods/attach
 * (k8s.io/apimachinery/pkg/util/remotecommand, client-go tools/remotecommand/websocket.go, KEP-3396):
 * every binary message starts with a channel byte; 0 stdin, 1 stdout, 2 stderr, 3 the error channel
 * (one metav1.Status when the command ends), 4 terminal resize ({"Width","Height"} JSON); v5 adds 255,
 * CLOSE, whose second byte names a stream the sender has finished with (kubectl half-closes stdin so).
 */

export const PROTOCOL_V5 = "v5.channel.k8s.io";
export const PROTOCOL_V4 = "v4.channel.k8s.io";
/** In preference order. kubectl 1.30+ offers v5 only; @kubernetes/client-node offers v5 down to v1. */
export const SUPPORTED_PROTOCOLS = [PROTOCOL_V5, PROTOCOL_V4] as const;

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** The first protocol we serve among those the client offered (Sec-WebSocket-Protocol), if any. */
export function negotiateProtocol(offered: Iterable<string>): string | undefined {
  const set = new Set([...offered].map((p) => p.trim()));
  return SUPPORTED_PROTOCOLS.find((p) => set.has(p));
}

/** Splits a Sec-WebSocket-Protocol header into the protocols it offers. */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  return value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
}

export function frame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

export type ClientMessage =
  | { kind: "stdin"; data: Buffer }
  | { kind: "resize"; width: number; height: number }
  | { kind: "close"; channel: number }
  | { kind: "ignored" };

/**
 * What a client message means. Resize JSON is read case-insensitively, as Go's encoding/json does:
 * kubectl sends {"Width":..,"Height":..}, client-node {"width":..,"height":..}.
 */
export function parseClientMessage(message: Buffer, protocol: string): ClientMessage {
  if (message.length === 0) return { kind: "ignored" };
  const channel = message[0];
  const body = message.subarray(1);
  if (channel === CHANNEL.stdin) return { kind: "stdin", data: body };
  if (channel === CHANNEL.close && protocol === PROTOCOL_V5 && body.length >= 1)
    return { kind: "close", channel: body[0] };
  if (channel === CHANNEL.resize) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return { kind: "ignored" };
    }
    if (typeof parsed !== "object" || parsed === null) return { kind: "ignored" };
    const field = (name: string) => {
      const key = Object.keys(parsed as object).find((k) => k.toLowerCase() === name);
      const value = key === undefined ? undefined : (parsed as Record<string, unknown>)[key];
      return typeof value === "number" && Number.isInteger(value) && value > 0 && value <= 65535 ? value : undefined;
    };
    const width = field("width");
    const height = field("height");
    return width && height ? { kind: "resize", width, height } : { kind: "ignored" };
  }
  return { kind: "ignored" };
}

/** The metav1.Status the kubelet writes on the error channel (no TypeMeta, as it marshals it). */
export interface ExecStatus {
  metadata: Record<string, never>;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: { causes: Array<{ reason: string; message: string }> };
}

export function successStatus(): ExecStatus {
  return { metadata: {}, status: "Success" };
}

/** A command that exited non-zero: kubectl reads the code from the ExitCode cause and exits with it. */
export function exitCodeStatus(code: number, command: string[]): ExecStatus {
  return {
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: error executing command [${command.join(" ")}], exit code ${code}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(code) }] },
  };
}
