/**
 * `pods/exec` and `pods/attach` over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io), as kubectl
 * 1.30+ and @kubernetes/client-node speak them. The request is checked the way kube-apiserver checks
 * it before upgrading (authentication, RBAC, pod and container state, options) and refused with a
 * Status otherwise; then exec runs the simulated shell (exec/session.ts) and attach follows the
 * container's output. A session ends with a Status on the error channel and a normal close, also
 * when the container stops under it (exit 137).
 *
 * RBAC: Kubernetes 1.32 authorizes the WebSocket GET as `get` on pods/exec (the POST of SPDY as
 * `create`); 1.35 also asks for `create` on GET (AuthorizePodWebsocketUpgradeCreatePermission).
 * We answer as 1.32, the version we report. SPDY/3.1 is not implemented: kubectl only falls back to
 * it when the WebSocket upgrade fails.
 */
import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { authenticate, Authorizer, type UserInfo } from "../auth";
import { ApiError, badRequest, notFound, qualifiedResource } from "../errors";
import { containerView, type ContainerSpec, type PodShape } from "../exec/container-view";
import {
  CHANNEL,
  frame,
  negotiateProtocol,
  offeredProtocols,
  parseClientMessage,
  successStatus,
  SUPPORTED_PROTOCOLS,
  type ExecStatus,
} from "../exec/protocol";
import { startExec, type ExecSession } from "../exec/session";
import type { HandlerContext } from "./context";
import { boolParam, q } from "./query";
import { parseRoute } from "./route";

const POD_REF = { apiVersion: "v1", kind: "Pod" };
/** Browsers cannot set Authorization on a WebSocket: kube-apiserver also reads the token from a subprotocol. */
const TOKEN_PROTOCOL = /^base64url\.bearer\.authorization\.k8s\.io\.(.+)$/;
const MAX_MESSAGE = 1024 * 1024;

interface StreamRequest {
  subresource: "exec" | "attach";
  pod: PodShape;
  container: ContainerSpec;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

function tokenFromProtocols(protocols: string[]): string | undefined {
  for (const p of protocols) {
    const m = TOKEN_PROTOCOL.exec(p);
    if (m) return Buffer.from(m[1], "base64url").toString("utf8");
  }
  return undefined;
}

function refuse(socket: Duplex, error: ApiError): void {
  const body = JSON.stringify(error.toStatus());
  socket.end(
    `HTTP/1.1 ${error.code} ${STATUS_CODES[error.code] ?? ""}\r\nContent-Type: application/json\r\n` +
      `Cache-Control: no-cache, private\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function chooseContainer(pod: PodShape, name: string | undefined): ContainerSpec {
  const containers = pod.spec?.containers ?? [];
  if (!name) {
    const defaultName = pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
    const byDefault = containers.find((c) => c.name === defaultName);
    if (byDefault) return byDefault;
    if (containers.length === 1) return containers[0];
    throw badRequest(
      `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.map((c) => c.name).join(" ")}]`,
    );
  }
  const container = containers.find((c) => c.name === name);
  if (!container) throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
  return container;
}

/** What kube-apiserver and the kubelet check before a stream starts. */
function checkRequest(ctx: HandlerContext, req: IncomingMessage, url: URL, user: UserInfo): StreamRequest {
  const route = parseRoute(ctx.registry, url.pathname.replace(/\/+$/, ""));
  if (!route || route.res.plural !== "pods" || !route.name || !route.namespace)
    throw badRequest("the demo cluster upgrades connections for pods/exec and pods/attach only");
  if (route.subresource !== "exec" && route.subresource !== "attach")
    throw badRequest("the demo cluster upgrades connections for pods/exec and pods/attach only");
  const verb = req.method === "POST" ? "create" : req.method === "GET" ? "get" : undefined;
  if (!verb)
    throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  const attrs = {
    verb,
    apiGroup: "",
    resource: "pods",
    subresource: route.subresource,
    namespace: route.namespace,
    name: route.name,
  };
  if (!ctx.authorizer.allows(user, attrs))
    throw new ApiError(403, "Forbidden", Authorizer.forbiddenMessage(user, attrs, qualifiedResource("pods", "")), {
      name: route.name,
      kind: "pods",
    });

  const pod = ctx.store.get(POD_REF, route.namespace, route.name) as PodShape | undefined;
  if (!pod) throw notFound("pods", "", route.name);
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed")
    throw badRequest(`cannot exec into or attach to a container in a completed pod; current phase is ${phase}`);
  const container = chooseContainer(pod, q(url, "container"));
  const stdin = boolParam(url, "stdin");
  const stdout = boolParam(url, "stdout");
  const tty = boolParam(url, "tty");
  const stderr = boolParam(url, "stderr") && !tty;
  if (!stdin && !stdout && !boolParam(url, "stderr"))
    throw badRequest("you must specify at least 1 of stdin, stdout, stderr");
  const command = url.searchParams.getAll("command");
  if (route.subresource === "exec" && command.length === 0)
    throw badRequest("you must specify at least one command for the container");
  if (!pod.spec?.nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  const running = pod.status?.containerStatuses?.find((s) => s.name === container.name)?.state?.running;
  if (!running) throw badRequest(`unable to upgrade connection: container not found ("${container.name}")`);
  return { subresource: route.subresource, pod, container, command, stdin, stdout, stderr, tty };
}

function isRunning(pod: PodShape, container: string): boolean {
  return Boolean(pod.status?.containerStatuses?.find((s) => s.name === container)?.state?.running);
}

/** Wires one accepted WebSocket to an exec or attach session. */
function serve(ctx: HandlerContext, ws: WebSocket, request: StreamRequest): void {
  const { pod, container } = request;
  const namespace = pod.metadata.namespace!;
  const send = (channel: number, text: string) => {
    if (ws.readyState === ws.OPEN) ws.send(frame(channel, text));
  };
  let stopFollow: (() => void) | undefined;
  let unsubscribe: () => void = () => undefined;
  const finish = (status: ExecStatus, code = 1000) => {
    stopFollow?.();
    unsubscribe();
    ctx.streams.delete(shutdown);
    if (ws.readyState !== ws.OPEN) return;
    ws.send(frame(CHANNEL.error, JSON.stringify(status)));
    ws.close(code);
  };
  const shutdown = () => session.kill();
  const output = {
    stdout: (text: string) => request.stdout && send(CHANNEL.stdout, text),
    stderr: (text: string) => (request.stderr ? send(CHANNEL.stderr, text) : undefined),
    end: (status: ExecStatus) => finish(status),
  };

  let session: ExecSession;
  if (request.subresource === "exec") {
    const logs = ctx.logs();
    const view = containerView(pod, container, {
      configMap: (ns, name) => {
        const cm = ctx.store.get({ apiVersion: "v1", kind: "ConfigMap" }, ns, name) as
          { data?: Record<string, string> } | undefined;
        return cm?.data;
      },
      log: (name) => logs.read(namespace, pod.metadata.name, name) ?? [],
    });
    session = startExec(
      view,
      request.command,
      { tty: request.tty, stdin: request.stdin, now: () => ctx.clock.now() },
      output,
    );
  } else {
    // attach: the container's main process, from now on; what the client types goes nowhere here.
    let ended = false;
    session = {
      input: () => undefined,
      closeStdin: () => undefined,
      resize: () => undefined,
      kill: () => {
        if (ended) return;
        ended = true;
        finish(successStatus());
      },
      get ended() {
        return ended;
      },
    };
    const crlf = request.tty ? "\r\n" : "\n";
    stopFollow = ctx
      .logs()
      .follow(namespace, pod.metadata.name, container.name, (line) => output.stdout(`${line}${crlf}`), session.kill);
  }

  // The container stopping (pod deleted, container ended) kills the session, as the runtime would.
  unsubscribe = ctx.store.subscribe((event) => {
    const object = event.object as PodShape;
    if (object.kind !== "Pod" || object.metadata.uid !== pod.metadata.uid) return;
    if (event.type === "DELETED" || !isRunning(object, container.name)) session.kill();
  });
  ctx.streams.add(shutdown);

  ws.on("message", (data: RawData) => {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    const message = parseClientMessage(buffer, ws.protocol);
    if (message.kind === "stdin" && request.stdin) session.input(message.data);
    else if (message.kind === "resize") session.resize(message.width, message.height);
    else if (message.kind === "close" && message.channel === CHANNEL.stdin) session.closeStdin();
  });
  ws.on("close", () => {
    stopFollow?.();
    unsubscribe();
    ctx.streams.delete(shutdown);
  });
  ws.on("error", () => ws.terminate());
}

/** The server's `upgrade` listener. */
export function createUpgradeHandler(
  ctx: HandlerContext,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE,
    handleProtocols: (protocols) => negotiateProtocol(protocols) ?? false,
  });
  return (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    try {
      const url = new URL(req.url ?? "/", "https://demo-cluster");
      const protocols = offeredProtocols(req.headers["sec-websocket-protocol"]);
      const authorization = req.headers.authorization ?? bearer(tokenFromProtocols(protocols));
      const user = authenticate(ctx.tokens, authorization);
      if (!user) throw new ApiError(401, "Unauthorized", "Unauthorized");
      const request = checkRequest(ctx, req, url, user);
      if (String(req.headers.upgrade).toLowerCase() !== "websocket")
        throw badRequest(
          `the demo cluster serves ${request.subresource} over WebSocket only (${SUPPORTED_PROTOCOLS.join(", ")}); SPDY/3.1 is not implemented`,
        );
      if (!negotiateProtocol(protocols))
        throw badRequest(
          `requested protocol(s) are not supported: [${protocols.filter((p) => !TOKEN_PROTOCOL.test(p)).join(" ")}]; supported protocols are [${SUPPORTED_PROTOCOLS.join(" ")}]`,
        );
      wss.handleUpgrade(req, socket, head, (ws) => serve(ctx, ws, request));
    } catch (err) {
      refuse(socket, err instanceof ApiError ? err : badRequest(String(err)));
    }
  };
}

function bearer(token: string | undefined): string | undefined {
  return token ? `Bearer ${token}` : undefined;
}
