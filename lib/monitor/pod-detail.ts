import type { IContainer } from "kubernetes-models/v1/Container";
import type { IContainerStatus } from "kubernetes-models/v1/ContainerStatus";
import type { IEvent } from "kubernetes-models/v1/Event";
import type { Pod } from "@/lib/kube/pod";

export type ContainerRole = "build" | "helper" | "service" | "init" | "other";

export interface ContainerDetail {
  name: string;
  role: ContainerRole;
  image: string;
  state: "waiting" | "running" | "terminated" | "unknown";
  reason: string | null;
  exitCode: number | null;
  restarts: number;
  ready: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  requests: Record<string, string>;
  limits: Record<string, string>;
  /** Names only: values may be CI variables, tokens included. */
  envNames: string[];
  /** Whether logs of a previous instance exist (it restarted). */
  hasPrevious: boolean;
}

export interface PodDetail {
  uid: string;
  name: string;
  namespace: string;
  phase: string;
  nodeName: string | null;
  podIP: string | null;
  qosClass: string | null;
  createdAt: string | null;
  containers: ContainerDetail[];
  conditions: Array<{
    type: string;
    status: string;
    reason: string | null;
    message: string | null;
    lastTransitionTime: string | null;
  }>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface EventDto {
  uid: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  source: string;
  lastSeen: string | null;
}

function roleOf(name: string, init: boolean): ContainerRole {
  if (init) return "init";
  if (name === "build") return "build";
  if (name === "helper") return "helper";
  if (/^svc-\d+$/.test(name)) return "service";
  return "other";
}

function containerDetail(container: IContainer, status: IContainerStatus | undefined, init: boolean): ContainerDetail {
  const state = status?.state;
  const kind = state?.running ? "running" : state?.terminated ? "terminated" : state?.waiting ? "waiting" : "unknown";
  const asStrings = (values: Record<string, unknown> | undefined) =>
    Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, String(v)]));
  return {
    name: container.name,
    role: roleOf(container.name, init),
    image: container.image ?? "",
    state: kind,
    reason: state?.waiting?.reason ?? state?.terminated?.reason ?? null,
    exitCode: state?.terminated?.exitCode ?? null,
    restarts: status?.restartCount ?? 0,
    ready: status?.ready ?? false,
    startedAt: state?.running?.startedAt ?? state?.terminated?.startedAt ?? null,
    finishedAt: state?.terminated?.finishedAt ?? null,
    requests: asStrings(container.resources?.requests),
    limits: asStrings(container.resources?.limits),
    envNames: (container.env ?? []).map((e) => e.name),
    hasPrevious: (status?.restartCount ?? 0) > 0 || status?.lastState?.terminated !== undefined,
  };
}

/** The detail panel's view of a pod: no env values, no managedFields, no volumes' secrets. */
export function toPodDetail(pod: Pod): PodDetail {
  const statuses = new Map(
    [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].map((s) => [s.name, s]),
  );
  return {
    uid: pod.metadata?.uid ?? "",
    name: pod.metadata?.name ?? "",
    namespace: pod.metadata?.namespace ?? "",
    phase: pod.status?.phase ?? "Unknown",
    nodeName: pod.spec?.nodeName ?? null,
    podIP: pod.status?.podIP ?? null,
    qosClass: pod.status?.qosClass ?? null,
    createdAt: pod.metadata?.creationTimestamp ?? null,
    containers: [
      ...(pod.spec?.initContainers ?? []).map((c) => containerDetail(c, statuses.get(c.name), true)),
      ...(pod.spec?.containers ?? []).map((c) => containerDetail(c, statuses.get(c.name), false)),
    ],
    conditions: (pod.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason ?? null,
      message: c.message ?? null,
      lastTransitionTime: c.lastTransitionTime ?? null,
    })),
    labels: pod.metadata?.labels ?? {},
    annotations: pod.metadata?.annotations ?? {},
  };
}

export function toEventDto(event: IEvent): EventDto {
  return {
    uid: event.metadata?.uid ?? `${event.metadata?.name}`,
    type: event.type ?? "Normal",
    reason: event.reason ?? "",
    message: event.message ?? "",
    count: event.count ?? 1,
    source: event.source?.component ?? event.reportingComponent ?? "",
    lastSeen: event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp ?? null,
  };
}

/** Newest last, as `kubectl describe` lists them. */
export function sortEvents(events: EventDto[]): EventDto[] {
  return [...events].sort((a, b) => (a.lastSeen ?? "").localeCompare(b.lastSeen ?? ""));
}
