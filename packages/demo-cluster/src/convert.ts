import { apiVersionOf, type ResourceInfo } from "./resources";
import type { KubeObject } from "./types";

// events.k8s.io/v1 Event is another view of the core/v1 Event storage, as in kube-apiserver.
// Field mapping follows k8s.io/kubernetes/pkg/apis/events/v1/conversion.go.

type Obj = Record<string, unknown>;

function coreToEventsV1(e: KubeObject): KubeObject {
  const src = (e.source ?? {}) as Obj;
  const out: Obj = {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    reason: e.reason,
    note: e.message,
    type: e.type,
    regarding: e.involvedObject,
    related: e.related,
    action: e.action,
    series: e.series,
    reportingController: e.reportingComponent || src.component,
    reportingInstance: e.reportingInstance || src.host,
    deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined || out[k] === "") delete out[k];
  return out as KubeObject;
}

function eventsV1ToCore(e: KubeObject): KubeObject {
  const out: Obj = {
    apiVersion: "v1",
    kind: "Event",
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    type: e.type,
    related: e.related,
    action: e.action,
    series: e.series,
    eventTime: e.eventTime,
    reportingComponent: e.reportingController ?? "",
    reportingInstance: e.reportingInstance ?? "",
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as KubeObject;
}

/** Storage form → the form served for `res` (apiVersion rewritten; Events converted). */
export function toView(res: ResourceInfo, obj: KubeObject): KubeObject {
  const apiVersion = apiVersionOf(res);
  if (obj.apiVersion === apiVersion) return obj;
  if (res.kind === "Event" && res.group === "events.k8s.io") return coreToEventsV1(obj);
  if (res.kind === "Event" && res.group === "" && obj.apiVersion === "events.k8s.io/v1") return eventsV1ToCore(obj);
  return { ...obj, apiVersion };
}

/** Served form → storage form. */
export function toStorage(res: ResourceInfo, obj: KubeObject): KubeObject {
  if (res.kind === "Event" && res.group === "events.k8s.io") return eventsV1ToCore(obj);
  return obj;
}
