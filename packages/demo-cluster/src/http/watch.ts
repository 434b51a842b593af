/** `?watch=true` and `/watch/…`: a chunked stream of watch events, bookmarks and a server-side timeout. */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { toView } from "../convert";
import { ApiError, badRequest, internalError } from "../errors";
import { watchLine } from "../json-cache";
import { apiVersionOf } from "../resources";
import { tableColumns, tableRow } from "../tables";
import type { KubeObject, WatchEventType } from "../types";
import type { HandlerContext } from "./context";
import { includeObject, objectJson, selectorQuery } from "./objects";
import { boolParam, intParam, optionalBoolParam, q } from "./query";
import type { Route } from "./route";
import { acceptsTable, startStream } from "./wire";

export function handleWatch(
  ctx: HandlerContext,
  req: IncomingMessage,
  resp: ServerResponse,
  route: Route,
  url: URL,
): void {
  const { store, streams } = ctx;
  const { res } = route;
  const sel = selectorQuery(url, res);
  if (route.name) sel.field.push({ field: "metadata.name", op: "=", value: route.name });
  const rv = q(url, "resourceVersion");
  if (rv !== undefined && rv !== "" && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
  const requested = intParam(url, "timeoutSeconds");
  // Like kube-apiserver's --min-request-timeout: unset (or 0) means 30–60 minutes.
  const timeoutSeconds = requested && requested > 0 ? requested : 1800 + Math.floor(Math.random() * 1800);
  const bookmarks = boolParam(url, "allowWatchBookmarks");
  const sendInitial = optionalBoolParam(url, "sendInitialEvents") === true;
  const table = acceptsTable(req);
  const include = includeObject(url);
  startStream(resp, "application/json", { "Audit-Id": randomUUID() });
  resp.flushHeaders();
  let closed = false;
  let corked = false;
  let firstTable = true;
  const write = (line: string | Buffer) => {
    if (closed) return;
    if (!corked) {
      corked = true;
      resp.cork();
      process.nextTick(() => {
        corked = false;
        resp.uncork();
      });
    }
    resp.write(line);
    // A client that cannot keep up is dropped, as kube-apiserver does; it relists.
    if (resp.writableLength > 64 * 1024 * 1024) finish();
  };
  const sink = (type: WatchEventType, obj: KubeObject) => {
    if (table) {
      const t = {
        kind: "Table",
        apiVersion: "meta.k8s.io/v1",
        metadata: { resourceVersion: obj.metadata.resourceVersion },
        columnDefinitions: firstTable ? tableColumns(res) : [],
        rows: [tableRow(res, toView(res, obj), ctx.clock.now(), include)],
      };
      firstTable = false;
      write(`{"type":"${type}","object":${JSON.stringify(t)}}\n`);
    } else {
      write(watchLine(obj, apiVersionOf(res), type, () => objectJson(res, obj)));
    }
  };
  const bookmark = (annotations?: Record<string, string>) =>
    write(
      `{"type":"BOOKMARK","object":${JSON.stringify({
        kind: res.kind,
        apiVersion: apiVersionOf(res),
        metadata: {
          resourceVersion: String(store.resourceVersion),
          creationTimestamp: null,
          ...(annotations ? { annotations } : {}),
        },
      })}}\n`,
    );
  let cancel: (() => void) | undefined;
  const timers: Array<() => void> = [];
  const finish = () => {
    if (closed) return;
    cancel?.();
    for (const t of timers) t();
    closed = true;
    streams.delete(finish);
    resp.end();
  };
  streams.add(finish);
  resp.on("close", finish);
  try {
    cancel = store.watch(
      res,
      { namespace: route.namespace, ...sel, resourceVersion: rv, sendInitialEvents: sendInitial },
      sink,
    );
  } catch (e) {
    const err = e instanceof ApiError ? e : internalError(e);
    write(`{"type":"ERROR","object":${JSON.stringify(err.toStatus())}}\n`);
    finish();
    return;
  }
  if (sendInitial && bookmarks) bookmark({ "k8s.io/initial-events-end": "true" });
  if (bookmarks && !table) {
    const iv = setInterval(() => bookmark(), ctx.bookmarkMs);
    iv.unref();
    timers.push(() => clearInterval(iv));
  }
  const to = setTimeout(finish, timeoutSeconds * 1000);
  to.unref();
  timers.push(() => clearTimeout(to));
}
