/** `pods/log`: a container's log, whole or tailed, with timestamps and limits, or followed as it grows. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, badRequest, notFound } from "../errors";
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
  const sinceSeconds = intParam(url, "sinceSeconds");
  const sinceTime = q(url, "sinceTime");
  validateLogOptions(pod.metadata.name, tail, limitBytes, sinceSeconds, sinceTime);
  const since = logsSince(ctx.clock.now(), sinceSeconds, sinceTime);
  const source = ctx.logs();
  const lines = source.readTimed(pod.metadata.namespace!, pod.metadata.name, container, { previous });
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
  const emit = (line: string, time: number) => {
    // The kubelet's log writer skips a line older than `since`, also while following.
    if (closed || time < since) return;
    let text = `${timestamps ? `${kubeletTimestamp(time)} ` : ""}${line}\n`;
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
  // tailLines picks the last lines of the file first; since then filters those (ReadLogs).
  const start = tail !== undefined && tail >= 0 ? Math.max(0, lines.length - tail) : 0;
  for (const l of lines.slice(start)) emit(l.text, l.time);
  if (!follow || previous || closed) {
    finish();
    return;
  }
  streams.add(finish);
  resp.on("close", finish);
  following.stop = source.follow(pod.metadata.namespace!, pod.metadata.name, container, emit, finish);
}

/**
 * The earliest time a line may carry to be sent, as the kubelet's NewLogOptions computes it
 * (pkg/kubelet/kuberuntime/logs/logs.go): now − sinceSeconds, or sinceTime when that is later.
 * Zero (every line) when neither is given.
 */
export function logsSince(now: number, sinceSeconds: number | undefined, sinceTime: string | undefined): number {
  let since = sinceSeconds !== undefined ? now - sinceSeconds * 1000 : 0;
  if (sinceTime !== undefined) since = Math.max(since, Date.parse(sinceTime));
  return since;
}

/** The kubelet's timestamp prefix: RFC 3339 with nine fractional digits (timeFormatOut), in UTC. */
export function kubeletTimestamp(time: number): string {
  return new Date(time).toISOString().replace(/Z$/, "000000Z");
}

/** RFC 3339 as Go's time.Parse(time.RFC3339, …) takes it for metav1.Time: fractional seconds allowed. */
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;

/** ValidatePodLogOptions: what kube-apiserver refuses with 422 before reading any log. */
function validateLogOptions(
  name: string,
  tailLines: number | undefined,
  limitBytes: number | undefined,
  sinceSeconds: number | undefined,
  sinceTime: string | undefined,
): void {
  const causes: Array<{ field: string; message: string; type: string }> = [];
  const invalid = (field: string, value: number, must: string) =>
    causes.push({ type: "FieldValueInvalid", field, message: `Invalid value: ${value}: ${must}` });
  if (tailLines !== undefined && tailLines < 0) invalid("tailLines", tailLines, "must be greater than or equal to 0");
  if (limitBytes !== undefined && limitBytes < 1) invalid("limitBytes", limitBytes, "must be greater than 0");
  if (sinceSeconds !== undefined && sinceSeconds < 1) invalid("sinceSeconds", sinceSeconds, "must be greater than 0");
  if (sinceSeconds !== undefined && sinceTime !== undefined)
    causes.push({
      type: "FieldValueForbidden",
      field: "",
      message: "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified",
    });
  if (sinceTime !== undefined && (!RFC3339.test(sinceTime) || Number.isNaN(Date.parse(sinceTime))))
    throw badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
  if (!causes.length) return;
  const text = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(", ");
  throw new ApiError(422, "Invalid", `PodLogOptions "${name}" is invalid: ${text}`, {
    name,
    kind: "PodLogOptions",
    causes,
  });
}
