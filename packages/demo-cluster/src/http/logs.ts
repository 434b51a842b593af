/** `pods/log`: a container's log, whole or tailed, with timestamps and limits, or followed as it grows. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { badRequest, notFound } from "../errors";
import type { HandlerContext } from "./context";
import { boolParam, intParam, q } from "./query";
import type { Route } from "./route";
import { startStream } from "./wire";

export function handleLog(
  ctx: HandlerContext,
  _req: IncomingMessage,
  resp: ServerResponse,
  route: Route,
  url: URL,
): void {
  const { store, streams } = ctx;
  const pod = store.getRaw(route.res, route.namespace, route.name!);
  if (!pod) throw notFound("pods", "", route.name!);
  const spec = (pod.spec ?? {}) as { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }> };
  const names = (spec.containers ?? []).map((c) => c.name);
  const all = [...names, ...(spec.initContainers ?? []).map((c) => c.name)];
  let container = q(url, "container");
  if (!container) {
    const defaultName = pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
    if (defaultName && all.includes(defaultName)) container = defaultName;
    else if (names.length === 1) container = names[0];
    else
      throw badRequest(
        `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(" ")}]`,
      );
  }
  if (!all.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  const previous = boolParam(url, "previous");
  const follow = boolParam(url, "follow");
  const timestamps = boolParam(url, "timestamps");
  const tail = intParam(url, "tailLines");
  const limitBytes = intParam(url, "limitBytes");
  const source = ctx.logs();
  const lines = source.read(pod.metadata.namespace!, pod.metadata.name, container, { previous });
  if (lines === undefined) {
    if (previous)
      throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
    const statuses =
      (
        pod.status as
          { containerStatuses?: Array<{ name: string; state?: { waiting?: { reason?: string } } }> } | undefined
      )?.containerStatuses ?? [];
    const waiting = statuses.find((s) => s.name === container)?.state?.waiting?.reason ?? "ContainerCreating";
    throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${waiting}`);
  }
  const stamp = (l: string) =>
    timestamps && !/^\d{4}-\d\d-\d\dT\S+ /.test(l) ? `${new Date(ctx.clock.now()).toISOString()} ${l}` : l;
  startStream(resp, "text/plain");
  let written = 0;
  let closed = false;
  const following: { stop?: () => void } = {};
  const finish = () => {
    if (closed) return;
    closed = true;
    following.stop?.();
    streams.delete(finish);
    resp.end();
  };
  const emit = (l: string) => {
    if (closed) return;
    let text = `${stamp(l)}\n`;
    if (limitBytes !== undefined && written + Buffer.byteLength(text) > limitBytes) {
      text = Buffer.from(text)
        .subarray(0, Math.max(0, limitBytes - written))
        .toString();
      resp.write(text);
      finish();
      return;
    }
    written += Buffer.byteLength(text);
    resp.write(text);
  };
  const start = tail !== undefined && tail >= 0 ? Math.max(0, lines.length - tail) : 0;
  for (const l of lines.slice(start)) emit(l);
  if (!follow || previous || closed) {
    finish();
    return;
  }
  streams.add(finish);
  resp.on("close", finish);
  following.stop = source.follow(pod.metadata.namespace!, pod.metadata.name, container, emit, finish);
}
