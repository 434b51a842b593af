/**
 * The terminal's WebSocket (GET /ws/shell?ticket=…): Next.js route handlers cannot take an HTTP
 * upgrade, so the custom server does. It only checks what a socket adds to the ticket the app issued
 * (same origin, same session, ticket unused and fresh) and hands the socket to the ticket, whose
 * code (lib/shell/) opens the pod's exec stream, enforces the limits and writes the audit log.
 */
import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { trackStream } from "../lib/lifecycle";
import { SHELL_SOCKET_PATH, takeShellTicket } from "../lib/shell/tickets";

const PING_INTERVAL_MS = 30_000;

function refuse(socket: Duplex, code: number, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** A browser on another site cannot open a terminal with our cookie (cross-site WebSocket hijacking). */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin || !request.headers.host) return false;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** Returns an upgrade listener that takes /ws/shell and answers false for any other path. */
export function shellUpgradeHandler(): (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 128 * 1024 });
  return (request, socket, head) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname !== SHELL_SOCKET_PATH) return false;
    socket.on("error", () => socket.destroy());
    if (!sameOrigin(request)) {
      refuse(socket, 403, "Cross-origin terminal refused");
      return true;
    }
    const ticket = takeShellTicket(url.searchParams.get("ticket") ?? "", request.headers.cookie);
    if (!ticket) {
      refuse(socket, 403, "This terminal link has expired or was already used; open the terminal again");
      return true;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      // Proxies close quiet connections; a ping keeps an idle-but-open terminal alive until our own limit.
      const ping = setInterval(() => ws.ping(), PING_INTERVAL_MS);
      const untrack = trackStream(() => ws.close(1001, "server shutting down"));
      ws.on("close", () => {
        clearInterval(ping);
        untrack();
      });
      ws.on("error", () => ws.terminate());
      ticket.start(
        {
          send: (message) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(message)),
          close: () => ws.close(1000),
          onMessage: (listener) => ws.on("message", (data) => listener(String(data))),
          onClose: (listener) => ws.on("close", listener),
        },
        request.socket.remoteAddress ?? null,
      );
    });
    return true;
  };
}
